package io.kuzet.server.api.console;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The console's own translations ({@code console/i18n.js} and the feature files' {@code i18n-*.js}, every one that
 * {@code console/index.html} loads, so a new feature's texts are read without a list to keep here) for pages the
 * server renders, such as the printed incident report: one source for the names of alert types, severities, states,
 * history actions and the explanation texts ({@link AlertExplanation}) in English, Russian and Kazakh. Parsed once from the class path, in the layout
 * ConsoleTranslationsTest checks ({@code key: 'text'} inside {@code "\n  <lang>: {" ... "\n  }"}). Thread-safe.
 */
public final class ConsoleTexts {
    /** The dictionaries are the ones the console's page loads, in its order (a later file's key wins, as in JS). */
    private static final Pattern SCRIPT = Pattern.compile("<script src=\"/(console/i18n[\\w-]*\\.js)\"");
    private static final Pattern KEY = Pattern.compile("(?:^|[{,])\\s*(\\w+):\\s*'((?:[^'\\\\]|\\\\.)*)'", Pattern.MULTILINE);
    private static final Map<String, Map<String, String>> DICTIONARIES = load();

    private ConsoleTexts() {
    }

    /** The text of {@code key} in {@code lang}, else in English, else the key itself. */
    public static String text(String lang, String key) {
        String v = DICTIONARIES.getOrDefault(lang, Map.of()).get(key);
        if (v == null) {
            v = DICTIONARIES.getOrDefault("en", Map.of()).get(key);
        }
        return v == null ? key : v;
    }

    private static Map<String, Map<String, String>> load() {
        Map<String, Map<String, String>> out = new HashMap<>();
        Matcher scripts = SCRIPT.matcher(resource("console/index.html"));
        while (scripts.find()) {
            String js = resource(scripts.group(1));
            for (String lang : List.of("en", "ru", "kk")) {
                int start = js.indexOf("\n  " + lang + ": {");
                if (start < 0) {
                    continue;
                }
                int end = js.indexOf("\n  }", start);
                Matcher m = KEY.matcher(js.substring(js.indexOf('{', start) + 1, end));
                Map<String, String> dict = out.computeIfAbsent(lang, l -> new HashMap<>());
                while (m.find()) {
                    dict.put(m.group(1), m.group(2).replace("\\'", "'"));
                }
            }
        }
        return Map.copyOf(out);
    }

    private static String resource(String path) {
        try (InputStream in = ConsoleTexts.class.getClassLoader().getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException(path + " is not on the class path");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
