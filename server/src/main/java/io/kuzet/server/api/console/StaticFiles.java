package io.kuzet.server.api.console;

import io.kuzet.server.api.http.ApiRequest;
import io.kuzet.server.api.http.ApiResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Serves the console's static files from the classpath: {@code /} and {@code /console/**} from {@code console/},
 * {@code /webjars/leaflet/**} from the Leaflet WebJar, {@code /api/openapi.json} from {@code console/openapi.json}.
 * Paths with {@code ..} or backslashes are refused; content is cached after the first read (a few hundred KiB in
 * all). Thread-safe.
 */
public final class StaticFiles {
    private static final String LEAFLET = "META-INF/resources/webjars/leaflet/" + leafletVersion() + "/dist/";
    private static final Map<String, String> TYPES = Map.of(
            "html", "text/html; charset=utf-8", "js", "text/javascript; charset=utf-8", "css", "text/css; charset=utf-8",
            "json", "application/json; charset=utf-8", "png", "image/png", "svg", "image/svg+xml");
    private static final byte[] MISSING = new byte[0];

    private final Map<String, byte[]> cache = new ConcurrentHashMap<>();

    /** True when this path is a static file path (whether or not the file exists). */
    public static boolean handles(String path) {
        return path.equals("/") || path.equals("/index.html") || path.startsWith("/console/") || path.startsWith("/webjars/leaflet/")
                || path.equals("/api/openapi.json");
    }

    public ApiResponse serve(ApiRequest request) {
        if (!request.method().equals("GET") && !request.method().equals("HEAD")) {
            return ApiResponse.error(405, "method_not_allowed", "static files are GET only");
        }
        String path = request.path();
        if (path.contains("..") || path.contains("\\") || path.contains("//")) {
            return ApiResponse.error(400, "bad_request", "bad path");
        }
        String resource;
        if (path.equals("/") || path.equals("/index.html")) {
            resource = "console/index.html";
        } else if (path.equals("/api/openapi.json")) {
            resource = "console/openapi.json";
        } else if (path.startsWith("/console/")) {
            resource = "console/" + path.substring("/console/".length());
        } else {
            resource = LEAFLET + path.substring("/webjars/leaflet/".length());
        }
        byte[] body = cache.computeIfAbsent(resource, StaticFiles::load);
        if (body == MISSING) {
            return ApiResponse.error(404, "not_found", "no such file: " + path);
        }
        String ext = resource.substring(resource.lastIndexOf('.') + 1);
        return new ApiResponse(200, TYPES.getOrDefault(ext, "application/octet-stream"), body)
                .header("Cache-Control", resource.startsWith("console/") ? "no-cache" : "max-age=86400")
                .header("Content-Security-Policy", "default-src 'self'; img-src 'self' data: https: http:; "
                        + "connect-src 'self' ws: wss:; style-src 'self' 'unsafe-inline'");
    }

    private static byte[] load(String resource) {
        try (InputStream in = StaticFiles.class.getClassLoader().getResourceAsStream(resource)) {
            return in == null ? MISSING : in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The Leaflet WebJar's version, read from its Maven metadata so a version bump needs no code change. */
    private static String leafletVersion() {
        try (InputStream in = StaticFiles.class.getClassLoader()
                .getResourceAsStream("META-INF/maven/org.webjars.npm/leaflet/pom.properties")) {
            if (in == null) {
                return "1.9.4";
            }
            java.util.Properties props = new java.util.Properties();
            props.load(in);
            return props.getProperty("version", "1.9.4");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
