package io.kuzet.server;

/** Entry point of the Kuzet server. */
public final class KuzetServerMain {
    private KuzetServerMain() {
    }

    public static void main(String[] args) {
        throw new UnsupportedOperationException("server assembly lands with the server core issue");
    }
}
