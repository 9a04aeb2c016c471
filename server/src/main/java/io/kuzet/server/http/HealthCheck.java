package io.kuzet.server.http;

/** One readiness condition: null when fine, else a short reason shown on {@code /health/ready}. Thread-safe. */
@FunctionalInterface
public interface HealthCheck {
    String problem();
}
