package io.kuzet.simulator.load;

/**
 * The server a load or storm run talks to: Kuzet port, HTTP port for the live alert stream (-1 = none) and its token.
 * Immutable.
 */
public record Target(String host, int kuzetPort, int httpPort, String liveToken) {
}
