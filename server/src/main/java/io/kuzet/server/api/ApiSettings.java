package io.kuzet.server.api;

import io.kuzet.server.alert.Severity;
import io.kuzet.server.api.alerts.EscalationJob;
import io.kuzet.server.api.alerts.ReviewPolicy;
import java.time.Duration;
import java.util.Map;

/**
 * Settings of the operator API.
 *
 * @param adminPassword      password of the bootstrap admin created on first start (env {@code KUZET_API_ADMIN_PASSWORD});
 *                           null or blank = generate one and log it once
 * @param tokenLifetime      how long a bearer token is valid
 * @param bcryptCost         bcrypt cost factor (2^cost rounds); 10 in production, 4 keeps tests fast
 * @param workerThreads      threads running API requests (JDBC blocks there, never on the event loop)
 * @param queueCapacity      requests waiting for a worker before new ones get 503
 * @param maxJsonBodyBytes   largest JSON body outside zone uploads (zones may use the HTTP limit of 1 MiB)
 * @param tileUrl            Leaflet tile URL template for the console; blank = no tiles (works offline)
 * @param tileAttribution    attribution shown with the tiles
 * @param escalationInterval how often the escalation job runs; zero = never (tests run it by hand)
 * @param escalationSla      acknowledgement SLA per severity name
 * @param reviewSeverity     alerts at or above this severity stay in the queue until a person resolves them, also after
 *                           they cleared by themselves (setting {@code api.reviewSeverity}, default MEDIUM)
 */
public record ApiSettings(String adminPassword, Duration tokenLifetime, int bcryptCost, int workerThreads, int queueCapacity,
                          int maxJsonBodyBytes, String tileUrl, String tileAttribution, Duration escalationInterval,
                          Map<String, Duration> escalationSla, Severity reviewSeverity) {

    public static ApiSettings defaults() {
        return new ApiSettings(System.getenv("KUZET_API_ADMIN_PASSWORD"), Duration.ofHours(12), 10, 4, 256, 256 * 1024,
                "", "", Duration.ofSeconds(15), EscalationJob.DEFAULT_SLA,
                ReviewPolicy.DEFAULT_REVIEW_SEVERITY);
    }

    public ApiSettings withAdminPassword(String password) {
        return new ApiSettings(password, tokenLifetime, bcryptCost, workerThreads, queueCapacity, maxJsonBodyBytes, tileUrl,
                tileAttribution, escalationInterval, escalationSla, reviewSeverity);
    }

    public ApiSettings withBcryptCost(int cost) {
        return new ApiSettings(adminPassword, tokenLifetime, cost, workerThreads, queueCapacity, maxJsonBodyBytes, tileUrl,
                tileAttribution, escalationInterval, escalationSla, reviewSeverity);
    }

    public ApiSettings withTiles(String url, String attribution) {
        return new ApiSettings(adminPassword, tokenLifetime, bcryptCost, workerThreads, queueCapacity, maxJsonBodyBytes, url,
                attribution, escalationInterval, escalationSla, reviewSeverity);
    }

    public ApiSettings withEscalationInterval(Duration interval) {
        return new ApiSettings(adminPassword, tokenLifetime, bcryptCost, workerThreads, queueCapacity, maxJsonBodyBytes, tileUrl,
                tileAttribution, interval, escalationSla, reviewSeverity);
    }

    public ApiSettings withReviewSeverity(Severity severity) {
        return new ApiSettings(adminPassword, tokenLifetime, bcryptCost, workerThreads, queueCapacity, maxJsonBodyBytes, tileUrl,
                tileAttribution, escalationInterval, escalationSla, severity);
    }
}
