package io.kuzet.server.api.http;

import io.kuzet.server.api.live.LiveAudit;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.function.Predicate;

/**
 * What the operator API adds to the server's one HTTP stack: its routes, how API bearer tokens are checked, the pool
 * its handlers run on (JDBC blocks there), the static console files served for paths no route claims, and how the
 * opening of a live stream is audited. Immutable.
 *
 * @param maxJsonBodyBytes largest body accepted by routes other than zone uploads
 */
public record HttpExtension(List<Route> routes, Authenticator authenticator, ExecutorService workers,
                            Predicate<String> staticPaths, Route.Handler staticFiles, LiveAudit liveAudit,
                            int maxJsonBodyBytes) {
}
