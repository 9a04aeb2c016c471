package io.kuzet.server.registry;

/**
 * A registry change refused by the registry repositories, with a sentence for whoever sent it: the API answers it
 * as 400, 404 or 409 by {@link #kind()}, the provisioning import as one line naming the entry. Immutable.
 */
public final class RegistryRefusal extends IllegalArgumentException {
    /** Why the change was refused. */
    public enum Kind {
        /** A value breaks a rule of the registry (the API's 400). */
        INVALID,
        /** A reference to a record that does not exist or belongs to another agency (the API's 404). */
        NOT_FOUND,
        /** The change contradicts the current state (the API's 409). */
        CONFLICT
    }

    private final Kind kind;

    private RegistryRefusal(Kind kind, String message) {
        super(message, null);
        this.kind = kind;
    }

    public static RegistryRefusal invalid(String message) {
        return new RegistryRefusal(Kind.INVALID, message);
    }

    /** {@code what} not found; also said for records of another agency, so the two cannot be told apart. */
    public static RegistryRefusal notFound(String what) {
        return new RegistryRefusal(Kind.NOT_FOUND, what + " not found");
    }

    /** As {@link #notFound(String)}, saying why the record does not count as found here. */
    public static RegistryRefusal notFound(String what, String why) {
        return new RegistryRefusal(Kind.NOT_FOUND, what + " not found (" + why + ")");
    }

    public static RegistryRefusal conflict(String message) {
        return new RegistryRefusal(Kind.CONFLICT, message);
    }

    public Kind kind() {
        return kind;
    }
}
