package io.kuzet.server.api.http;

import io.kuzet.server.api.auth.Principal;
import io.kuzet.server.api.live.AgencyLiveHub;
import io.kuzet.server.api.live.LiveAudit;
import io.kuzet.server.api.live.LiveSubscription;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshaker;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshakerFactory;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The last handler of every HTTP connection and the only one that answers: copies the request out of its buffer,
 * runs the {@link ApiDispatcher} on the worker pool (JDBC may block there) and writes the answer back. The live
 * stream is one route of the same table: a WebSocket upgrade whose path matches {@value AgencyLiveHub#PATH} exactly
 * is authenticated on the worker pool <em>before</em> the handshake, so a missing, wrong or revoked secret gets a 401
 * and never a 101; an upgrade to any other path is an ordinary request (404, 401, ...).
 *
 * <p>The live secret travels in the {@code Sec-WebSocket-Protocol} header as the subprotocol
 * {@code kuzet.token.<token>} next to {@code kuzet.v1}, which the server selects (browsers cannot set other headers
 * on a WebSocket, and a header stays out of URLs, access logs and browser history); non-browser clients may send
 * {@code Authorization: Bearer} instead. A query parameter {@code token} is refused.
 *
 * <p>One request per connection is in flight at a time: reading pauses until the answer is written, so a client
 * cannot queue unbounded work by pipelining. One instance per connection.
 */
public final class HttpFrontDoor extends ChannelInboundHandlerAdapter {
    /** The subprotocol the server selects; clients offer it next to their token subprotocol. */
    public static final String SUBPROTOCOL = "kuzet.v1";
    /** Prefix of the subprotocol that carries the live secret. */
    public static final String TOKEN_SUBPROTOCOL_PREFIX = "kuzet.token.";
    private static final Logger LOG = LoggerFactory.getLogger(HttpFrontDoor.class);
    private static final int MAX_INBOUND_FRAME_BYTES = 4096;

    private final ApiDispatcher dispatcher;
    private final ExecutorService workers;
    private final AgencyLiveHub hub;
    private final Authenticator liveAuthenticator;
    private final LiveAudit liveAudit;

    /**
     * @param liveAuthenticator checks the live secret (the ops token, then API tokens)
     */
    public HttpFrontDoor(ApiDispatcher dispatcher, ExecutorService workers, AgencyLiveHub hub, Authenticator liveAuthenticator,
                         LiveAudit liveAudit) {
        this.dispatcher = dispatcher;
        this.workers = workers;
        this.hub = hub;
        this.liveAuthenticator = liveAuthenticator;
        this.liveAudit = liveAudit;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof WebSocketFrame frame) {
            onFrame(ctx, frame);
            return;
        }
        if (!(msg instanceof FullHttpRequest request)) {
            ReferenceCountUtil.release(msg);
            return;
        }
        boolean keepAlive = HttpUtil.isKeepAlive(request);
        if (!request.decoderResult().isSuccess()) {
            request.release();
            write(ctx, ApiResponse.error(400, "bad_request", "malformed HTTP request"), false);
            return;
        }
        QueryStringDecoder query = new QueryStringDecoder(request.uri());
        Map<String, String> headers = new HashMap<>();
        request.headers().forEach(h -> headers.putIfAbsent(h.getKey().toLowerCase(Locale.ROOT), h.getValue()));
        ApiRequest api = new ApiRequest(request.method().name(), query.path(), query.parameters(), headers,
                ByteBufUtil.getBytes(request.content()));
        api.remoteAddress(remote(ctx));
        boolean liveUpgrade = isWebSocketUpgrade(request) && request.method().name().equals("GET")
                && query.path().equals(AgencyLiveHub.PATH);
        if (!liveUpgrade) {
            request.release();
        }
        ctx.channel().config().setAutoRead(false);
        try {
            if (liveUpgrade) {
                workers.execute(() -> authenticateLive(ctx, request, api));
            } else {
                workers.execute(() -> write(ctx, dispatcher.dispatch(api), keepAlive));
            }
        } catch (RejectedExecutionException e) {
            if (liveUpgrade) {
                request.release();
            }
            write(ctx, ApiResponse.error(503, "busy", "the server is overloaded; retry shortly").header("Retry-After", "1"), false);
        }
    }

    private static boolean isWebSocketUpgrade(FullHttpRequest request) {
        return request.headers().containsValue(HttpHeaderNames.CONNECTION, HttpHeaderValues.UPGRADE, true)
                && request.headers().contains(HttpHeaderNames.UPGRADE, HttpHeaderValues.WEBSOCKET, true);
    }

    /** Worker thread: authenticates and audits the live stream, then completes or refuses the handshake. */
    private void authenticateLive(ChannelHandlerContext ctx, FullHttpRequest request, ApiRequest api) {
        ApiResponse refusal = null;
        LiveSubscription subscription = null;
        try {
            String token = liveToken(api);
            Principal principal = token == null || token.length() > 200 || api.queryParam("token") != null ? null
                    : liveAuthenticator.authenticate(token);
            if (api.queryParam("token") != null) {
                refusal = ApiResponse.error(400, "bad_request", "a token in the URL is refused; send it as the subprotocol "
                        + TOKEN_SUBPROTOCOL_PREFIX + "<token> or as Authorization: Bearer");
            } else if (principal == null) {
                refusal = ApiResponse.error(401, "unauthorized", "a valid token is required").header("WWW-Authenticate", "Bearer");
            } else if (principal.mustChangePassword()) {
                // a one-time or bootstrap password only opens the password change, as on every other route
                refusal = ApiResponse.error(403, "password_change_required", "change the password before opening the live stream");
            } else {
                String kinds = api.queryParam("kinds");
                boolean alerts = kinds == null || List.of(kinds.split(",")).contains("alert");
                boolean positions = kinds == null ? !principal.equals(LiveSubscription.OPS_PRINCIPAL) : List.of(kinds.split(",")).contains("position");
                if (!alerts && !positions) {
                    refusal = ApiResponse.error(400, "bad_request", "kinds must name alert and/or position");
                } else if (positions && principal.equals(LiveSubscription.OPS_PRINCIPAL)) {
                    refusal = ApiResponse.error(403, "forbidden", "the ops live token streams alerts only");
                } else {
                    subscription = new LiveSubscription(principal, token, liveAuthenticator, alerts, positions);
                    liveAudit.opened(subscription, api.remoteAddress());
                }
            }
        } catch (Exception e) {
            LOG.warn("live stream handshake failed: {}", e.toString());
            refusal = ApiResponse.error(503, "unavailable", "the live stream cannot be opened now; retry shortly");
        }
        ApiResponse refused = refusal;
        LiveSubscription accepted = subscription;
        ctx.executor().execute(() -> {
            if (refused != null) {
                request.release();
                write(ctx, refused, false);
                return;
            }
            String scheme = ctx.pipeline().get(SslHandler.class) != null ? "wss://" : "ws://";
            String url = scheme + request.headers().get(HttpHeaderNames.HOST, "localhost") + AgencyLiveHub.PATH;
            WebSocketServerHandshaker handshaker = new WebSocketServerHandshakerFactory(url, SUBPROTOCOL, false,
                    MAX_INBOUND_FRAME_BYTES).newHandshaker(request);
            if (handshaker == null) {
                WebSocketServerHandshakerFactory.sendUnsupportedVersionResponse(ctx.channel());
                request.release();
                return;
            }
            handshaker.handshake(ctx.channel(), request).addListener(f -> {
                if (f.isSuccess()) {
                    hub.subscribe(ctx.channel(), accepted);
                    ctx.channel().config().setAutoRead(true);
                } else {
                    ctx.close();
                }
            });
            request.release();
        });
    }

    /** The live secret: a {@code kuzet.token.} subprotocol, else an {@code Authorization: Bearer} header. */
    static String liveToken(ApiRequest request) {
        String protocols = request.header("sec-websocket-protocol");
        if (protocols != null) {
            for (String p : protocols.split(",")) {
                String s = p.strip();
                if (s.startsWith(TOKEN_SUBPROTOCOL_PREFIX)) {
                    return s.substring(TOKEN_SUBPROTOCOL_PREFIX.length());
                }
            }
        }
        String header = request.header("authorization");
        if (header != null && header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            String token = header.substring(7).strip();
            return token.isEmpty() ? null : token;
        }
        return null;
    }

    /** Resets, TLS failures and decoder errors end the connection quietly; one line at debug, never a stack trace. */
    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.debug("HTTP connection from {} failed: {}", ctx.channel().remoteAddress(), cause.toString());
        ctx.close();
    }

    private static void onFrame(ChannelHandlerContext ctx, WebSocketFrame frame) {
        try {
            if (frame instanceof CloseWebSocketFrame close) {
                // echo the client's status code (RFC 6455 5.5.1), then close
                ctx.writeAndFlush(close.retainedDuplicate()).addListener(ChannelFutureListener.CLOSE);
            } else if (frame instanceof PingWebSocketFrame) {
                ctx.writeAndFlush(new PongWebSocketFrame(frame.content().retain()));
            }
        } finally {
            frame.release();
        }
    }

    private static String remote(ChannelHandlerContext ctx) {
        return ctx.channel().remoteAddress() instanceof InetSocketAddress a ? a.getAddress().getHostAddress() : "unknown";
    }

    private static void write(ChannelHandlerContext ctx, ApiResponse r, boolean keepAlive) {
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(r.status()),
                Unpooled.wrappedBuffer(r.body()));
        if (r.contentType() != null) {
            response.headers().set(HttpHeaderNames.CONTENT_TYPE, r.contentType());
        }
        response.headers().set("X-Content-Type-Options", "nosniff");
        r.headers().forEach((k, v) -> response.headers().set(k, v));
        HttpUtil.setContentLength(response, r.body().length);
        if (keepAlive) {
            response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
            ctx.writeAndFlush(response).addListener(f -> ctx.channel().config().setAutoRead(true));
        } else {
            response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
            ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
        }
    }
}
