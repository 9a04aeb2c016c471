package io.kuzet.server.config;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

/**
 * Builds a {@link ServerConfig} from defaults, an optional YAML file and environment variables, in that order
 * of precedence (environment wins). The variable for {@code journal.durability} is {@code KUZET_JOURNAL_DURABILITY},
 * for {@code limits.maxFrameBytes} it is {@code KUZET_LIMITS_MAX_FRAME_BYTES}. Unknown YAML keys are errors, so a typo
 * never silently leaves a default in place.
 */
public final class ConfigLoader {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.READ_ENUMS_USING_TO_STRING)
            .enable(com.fasterxml.jackson.databind.MapperFeature.ACCEPT_CASE_INSENSITIVE_ENUMS);

    private ConfigLoader() {
    }

    public static ServerConfig load(Path yamlFile, Map<String, String> environment) {
        ObjectNode tree = YAML.createObjectNode();
        if (yamlFile != null) {
            try {
                JsonNode fileTree = YAML.readTree(Files.readString(yamlFile));
                if (fileTree != null && !fileTree.isMissingNode() && !fileTree.isNull()) {
                    if (!fileTree.isObject()) {
                        throw new ConfigException(yamlFile + ": the top level must be a mapping of sections");
                    }
                    tree.setAll((ObjectNode) fileTree);
                }
            } catch (IOException e) {
                throw new ConfigException("cannot read configuration file " + yamlFile + ": " + e.getMessage(), e);
            }
        }
        applyEnvironment(tree, environment);
        try {
            ServerConfig config = YAML.readerForUpdating(new ServerConfig()).readValue(tree);
            return config.validate();
        } catch (UnrecognizedPropertyException e) {
            throw new ConfigException("unknown setting '" + e.getPropertyName() + "' at " + path(e) + "; known: "
                    + e.getKnownPropertyIds(), e);
        } catch (com.fasterxml.jackson.databind.JsonMappingException e) {
            throw new ConfigException("invalid configuration value at " + path(e) + ": " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new ConfigException("invalid configuration: " + e.getMessage(), e);
        }
    }

    private static String path(com.fasterxml.jackson.databind.JsonMappingException e) {
        StringBuilder sb = new StringBuilder();
        for (var ref : e.getPath()) {
            if (ref.getFieldName() != null) {
                if (sb.length() > 0) {
                    sb.append('.');
                }
                sb.append(ref.getFieldName());
            }
        }
        return sb.length() == 0 ? "(top level)" : sb.toString();
    }

    /** Writes {@code KUZET_SECTION_KEY} variables into the tree for every known section field. */
    private static void applyEnvironment(ObjectNode tree, Map<String, String> environment) {
        for (Field section : ServerConfig.class.getFields()) {
            if (Modifier.isStatic(section.getModifiers())) {
                continue;
            }
            for (Field field : section.getType().getFields()) {
                if (Modifier.isStatic(field.getModifiers())) {
                    continue;
                }
                String variable = "KUZET_" + upperSnake(section.getName()) + "_" + upperSnake(field.getName());
                String value = environment.get(variable);
                if (value != null) {
                    JsonNode existing = tree.get(section.getName());
                    ObjectNode sectionNode = existing instanceof ObjectNode ? (ObjectNode) existing : tree.putObject(section.getName());
                    sectionNode.put(field.getName(), value);
                }
            }
        }
    }

    static String upperSnake(String camel) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < camel.length(); i++) {
            char c = camel.charAt(i);
            if (Character.isUpperCase(c) && i > 0) {
                sb.append('_');
            }
            sb.append(Character.toUpperCase(c));
        }
        return sb.toString().toUpperCase(Locale.ROOT);
    }
}
