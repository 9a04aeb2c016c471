package io.kuzet.server.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

/** Hand-written HTTP over a plain socket, for requests {@code java.net.http} will not send (e.g. a bare upgrade). */
public final class RawHttp {
    private RawHttp() {
    }

    /** The headers of a WebSocket upgrade request, with extra header lines (each ending in CRLF) appended. */
    public static String upgrade(String path, String extraHeaders) {
        return "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n" + extraHeaders + "\r\n";
    }

    /** Sends {@code request} and returns the status code of the answer (its status line). */
    public static int status(int port, String request) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            socket.getOutputStream().flush();
            String line = statusLine(socket.getInputStream());
            return Integer.parseInt(line.split(" ")[1]);
        }
    }

    /** True when the server closes {@code socket} (end of stream or reset) before {@code timeoutMs}. */
    public static boolean closedByServer(Socket socket, int timeoutMs) throws IOException {
        socket.setSoTimeout(timeoutMs);
        try {
            while (socket.getInputStream().read() >= 0) {
                // the answer to whatever was sent; read on until the close
            }
            return true;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true;
        }
    }

    private static String statusLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) >= 0 && b != '\n') {
            line.write(b);
        }
        return line.toString(StandardCharsets.ISO_8859_1).strip();
    }
}
