package io.kuzet.server.registry;

/**
 * Field checks of the registry repositories, phrased as the API phrases them ({@code 'field' ...}) so that the API and
 * the provisioning import refuse a value with the same sentence. Stateless.
 */
final class Checks {
    private Checks() {
    }

    /** A required text, stripped; refused when missing, blank or longer than {@code maxLength}. */
    static String text(String field, String value, int maxLength) {
        if (value == null || value.isBlank()) {
            throw RegistryRefusal.invalid("'" + field + "' is required (a non-empty string)");
        }
        return optionalText(field, value, maxLength);
    }

    /** An optional text, stripped (null stays null). */
    static String optionalText(String field, String value, int maxLength) {
        if (value == null) {
            return null;
        }
        String stripped = value.strip();
        if (stripped.length() > maxLength) {
            throw RegistryRefusal.invalid("'" + field + "' is longer than " + maxLength + " characters");
        }
        return stripped;
    }

    static int range(String field, int value, int min, int max) {
        if (value < min || value > max) {
            throw RegistryRefusal.invalid("'" + field + "' must be an integer in [" + min + ", " + max + "]");
        }
        return value;
    }

    static double range(String field, double value, double min, double max) {
        if (!(value >= min && value <= max)) {
            throw RegistryRefusal.invalid("'" + field + "' must be a number in [" + min + ", " + max + "]");
        }
        return value;
    }

    static <T> T required(String field, T value) {
        if (value == null) {
            throw RegistryRefusal.invalid("'" + field + "' is required");
        }
        return value;
    }

    /** Validated CIDR blocks ({@link SourceNetworks#ANY} for none), the owner named in a refusal. */
    static SourceNetworks sources(java.util.List<String> cidrs, String owner) {
        if (cidrs == null || cidrs.isEmpty()) {
            return SourceNetworks.ANY;
        }
        try {
            return SourceNetworks.parse(cidrs);
        } catch (IllegalArgumentException e) {
            throw RegistryRefusal.invalid("'allowedSources' of " + owner + ": " + e.getMessage());
        }
    }

    /** A text[] value for PostgreSQL, or null for no restriction. */
    static String[] cidrArray(SourceNetworks networks) {
        return networks.isAny() ? null : networks.cidrs().toArray(String[]::new);
    }
}
