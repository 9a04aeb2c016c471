package io.kuzet.server.api.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kuzet.geofence.rule.RuleKind;
import io.kuzet.server.alert.AlertType;
import io.kuzet.server.alert.Severity;
import io.kuzet.server.api.alerts.ContactOutcome;
import io.kuzet.server.api.alerts.ContactParty;
import io.kuzet.server.api.alerts.Disposition;
import io.kuzet.server.api.auth.Role;
import io.kuzet.server.api.http.ApiException;
import io.kuzet.server.registry.DeviceRole;
import io.kuzet.server.registry.OrderKind;
import io.kuzet.server.registry.RiskLevel;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.DayOfWeek;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Every console string exists in English, Russian and Kazakh: the three dictionaries of {@code i18n.js} have the
 * same keys, and every key the page ({@code data-i18n}, {@code data-i18n-placeholder}), {@code console.js}
 * ({@code t('...')}) and the server's enums shown in the console (alert types, severities, states, review states,
 * dispositions, history actions, contact parties and outcomes, API error codes, rule and order kinds, risk levels,
 * device roles, user roles, weekdays) use is in each of them, with a non-empty text.
 */
class ConsoleTranslationsTest {
    private static final List<String> LANGUAGES = List.of("en", "ru", "kk");
    private static final Pattern KEY = Pattern.compile("(?:^|[{,])\\s*(\\w+):\\s*'((?:[^'\\\\]|\\\\.)*)'", Pattern.MULTILINE);

    private static String resource(String name) throws IOException {
        try (InputStream in = ConsoleTranslationsTest.class.getResourceAsStream("/console/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** The console's own scripts in the order the page loads them ({@code /console/*.js} in index.html). */
    private static List<String> scripts() throws IOException {
        List<String> out = new ArrayList<>();
        Matcher m = Pattern.compile("<script src=\"/console/([\\w-]+\\.js)\"").matcher(resource("index.html"));
        while (m.find()) {
            out.add(m.group(1));
        }
        assertTrue(out.contains("i18n.js") && out.contains("console.js"), "index.html loads i18n.js and console.js: " + out);
        return out;
    }

    /** The dictionaries of i18n.js merged with those of every i18n-*.js feature file the page loads. */
    private static Map<String, Map<String, String>> dictionaries() throws IOException {
        Map<String, Map<String, String>> out = new TreeMap<>();
        LANGUAGES.forEach(lang -> out.put(lang, new TreeMap<>()));
        for (String file : scripts()) {
            if (!file.startsWith("i18n")) {
                continue;
            }
            String js = resource(file);
            for (String lang : LANGUAGES) {
                int start = js.indexOf("\n  " + lang + ": {");
                assertTrue(start >= 0, file + " has no '" + lang + "' dictionary");
                int end = js.indexOf("\n  }", start);
                Matcher m = KEY.matcher(js.substring(js.indexOf('{', start) + 1, end));
                while (m.find()) {
                    out.get(lang).put(m.group(1), m.group(2));
                }
            }
        }
        return out;
    }

    private static Set<String> usedKeys() throws IOException {
        Set<String> used = new TreeSet<>();
        Matcher html = Pattern.compile("data-i18n(?:-placeholder)?=\"(\\w+)\"").matcher(resource("index.html"));
        while (html.find()) {
            used.add(html.group(1));
        }
        for (String file : scripts()) {
            if (file.startsWith("i18n")) {
                continue;
            }
            String js = resource(file);
            Matcher call = Pattern.compile("\\btf?\\('(\\w+)'[,)]").matcher(js);
            while (call.find()) {
                used.add(call.group(1));
            }
            Matcher attr = Pattern.compile("data-i18n(?:-placeholder)?=\"(\\w+)\"").matcher(js);
            while (attr.find()) {
                used.add(attr.group(1));
            }
        }
        for (AlertType v : AlertType.values()) {
            used.add(v.name());
        }
        for (Severity v : Severity.values()) {
            used.add(v.name());
        }
        for (Disposition v : Disposition.values()) {
            used.add(v.name());
        }
        for (ContactParty v : ContactParty.values()) {
            used.add("party_" + v.name());
        }
        for (ContactOutcome v : ContactOutcome.values()) {
            used.add("outcome_" + v.name());
        }
        used.addAll(Arrays.asList("OPEN", "ACKNOWLEDGED", "CLEARED", "RESOLVED", "WAITING", "TAKEN", "ENDED_NEEDS_REVIEW", "DONE"));
        for (String action : List.of("ACKNOWLEDGED", "RESOLVED", "COMMENTED", "ESCALATED", "CONTACT")) {
            used.add("action_" + action);
        }
        // texts picked by a value the server sends: error codes, rule kinds in explanations and the profile, order
        // kinds, risk levels, device roles, weekdays of schedule windows
        ApiException.CODES.forEach(code -> used.add("error_" + code));
        for (RuleKind v : RuleKind.values()) {
            used.add("ex_kind_" + v.name());
        }
        for (OrderKind v : OrderKind.values()) {
            used.add("pf_kind_" + v.name());
        }
        for (RiskLevel v : RiskLevel.values()) {
            used.add("pf_risk_" + v.name());
        }
        for (DeviceRole v : DeviceRole.values()) {
            used.add("pf_role_" + v.name());
        }
        for (String reason : List.of("NOT_ACKNOWLEDGED", "NOT_RESOLVED", "ENDED_UNREVIEWED")) {
            used.add("escalation_" + reason); // EscalationJob's reasons, in the alert history
        }
        for (Role v : Role.values()) {
            used.add("role_" + v.dbValue());
        }
        for (DayOfWeek v : DayOfWeek.values()) {
            used.add("pf_day_" + v.name());
        }
        return used;
    }

    @Test
    void everyLanguageHasEveryKeyTheConsoleUses() throws IOException {
        Map<String, Map<String, String>> dicts = dictionaries();
        List<String> missing = new ArrayList<>();
        Set<String> all = new TreeSet<>(usedKeys());
        dicts.values().forEach(d -> all.addAll(d.keySet()));
        for (String lang : LANGUAGES) {
            for (String key : all) {
                String text = dicts.get(lang).get(key);
                if (text == null || text.isBlank()) {
                    missing.add(lang + ":" + key);
                }
            }
        }
        assertEquals(List.of(), missing, "console keys missing or empty in a language");
        assertTrue(dicts.get("en").size() > 50, "the parser found the dictionaries: " + dicts.get("en").size());
    }

    @Test
    void russianAndKazakhDoNotRepeatTheEnglishText() throws IOException {
        Map<String, Map<String, String>> dicts = dictionaries();
        Set<String> sameEverywhere = Set.of("GPS");
        List<String> untranslated = new ArrayList<>();
        for (String lang : List.of("ru", "kk")) {
            dicts.get("en").forEach((key, english) -> {
                if (english.equals(dicts.get(lang).get(key)) && !sameEverywhere.contains(english)) {
                    untranslated.add(lang + ":" + key + "='" + english + "'");
                }
            });
        }
        assertEquals(List.of(), untranslated, "texts left in English");
    }

    /**
     * Every code a route throws is listed in ApiException.CODES, so everyLanguageHasEveryKeyTheConsoleUses demands
     * its {@code error_<code>} text: the password policy's refusals (too short, too long, unchanged) included.
     */
    @Test
    void everyErrorCodeTheServerThrowsIsListedAndTranslated() throws IOException {
        Set<String> thrown = new TreeSet<>();
        Pattern code = Pattern.compile("new ApiException\\(\\d+, \"(\\w+)\"");
        try (var files = java.nio.file.Files.walk(java.nio.file.Path.of("src/main/java"))) {
            for (java.nio.file.Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                Matcher m = code.matcher(java.nio.file.Files.readString(file));
                while (m.find()) {
                    thrown.add(m.group(1));
                }
            }
        }
        assertTrue(thrown.containsAll(List.of("password_too_short", "password_too_long", "password_unchanged", "wrong_password")), thrown.toString());
        thrown.removeAll(ApiException.CODES);
        assertEquals(Set.of(), thrown, "codes thrown but not in ApiException.CODES (so without a translated text)");
    }
}
