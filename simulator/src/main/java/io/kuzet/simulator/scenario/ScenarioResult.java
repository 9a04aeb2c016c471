package io.kuzet.simulator.scenario;

import io.kuzet.server.alert.Alert;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What a scenario run produced: every alert transition from the server's alert journal, the journaled device
 * messages, the subject-name mapping and how many retransmitted messages the server acked without storing again; {@link #failures} checks them against the scenario's expectations.
 * Immutable.
 */
public record ScenarioResult(String name, List<Alert> alerts, List<long[]> journaledMessages, Map<String, Long> subjectIds,
                             long retransmissionsDeduplicated) {

    /** Alerts of {@code type} and {@code phase} for the named subject (null = any subject). */
    public List<Alert> alerts(String type, String phase, String subject) {
        Long id = subject == null ? null : subjectIds.get(subject);
        return alerts.stream().filter(a -> a.type().name().equals(type) && a.phase().name().equals(phase)
                && (id == null || a.subjectId() == id)).toList();
    }

    /** One line per unmet expectation; empty when the run matched the scenario. */
    public List<String> failures(List<ScenarioFile.Expectation> expectations) {
        List<String> failures = new ArrayList<>();
        for (ScenarioFile.Expectation e : expectations) {
            List<Alert> matching = alerts(e.type, e.phase, e.subject).stream()
                    .filter(a -> e.late == null || a.late() == e.late).toList();
            boolean ok = e.count == null ? !matching.isEmpty() : matching.size() == e.count;
            if (!ok) {
                failures.add("expected " + (e.count == null ? "at least one" : Integer.toString(e.count)) + " " + e.type + " " + e.phase
                        + (e.subject == null ? "" : " for " + e.subject) + (e.late == null ? "" : " late=" + e.late)
                        + ", got " + matching.size() + "; all alerts: " + summary());
            }
        }
        return failures;
    }

    /** Duplicate (device, sequence) pairs in the journal: must always be empty. */
    public List<String> duplicateMessages() {
        java.util.Set<String> seen = new java.util.HashSet<>();
        List<String> dups = new ArrayList<>();
        for (long[] m : journaledMessages) {
            if (!seen.add(m[0] + "/" + m[1])) {
                dups.add(m[0] + "/" + m[1]);
            }
        }
        return dups;
    }

    public String summary() {
        StringBuilder b = new StringBuilder();
        for (Alert a : alerts) {
            b.append(a.type()).append(' ').append(a.phase()).append(" subject=").append(a.subjectId())
                    .append(a.late() ? " late" : "").append("; ");
        }
        return b.toString();
    }
}
