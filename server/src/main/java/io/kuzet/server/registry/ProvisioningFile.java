package io.kuzet.server.registry;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

/**
 * The provisioning YAML as Jackson reads it (format and a full example in {@code docs/provisioning.md}). Natural keys
 * tie the sections together: agency code, subject (agency, externalCaseId), device (protocol, number), zone name per
 * agency, order legalReference, rule name per order. The exporter writes the record whole; the importer reads the
 * file's entries one at a time as these nested records (it streams). Immutable.
 */
record ProvisioningFile(List<Agency> agencies, List<User> users, List<Subject> subjects, List<Zone> zones,
                        List<Device> devices, List<Order> orders, List<Assignment> assignments) {

    /** {@code allowedSources}: CIDR blocks its devices may connect from (docs/device-trust.md); absent = any. */
    record Agency(String code, String name, String region, List<String> allowedSources) {
    }

    record User(String username, String passwordHash, String role, String agency) {
    }

    /** {@code phone}, {@code officerName}, {@code officerPhone}: for the console's profile; absent = not known. */
    record Subject(String agency, String externalCaseId, String displayName, boolean preTrial, String phone,
                   String officerName, String officerPhone) {
    }

    record SubjectRef(String agency, String externalCaseId) {
    }

    record Zone(String agency, String name, String kind, JsonNode geojson) {
    }

    /** {@code allowedSources}: CIDR blocks this device may connect from, overriding its agency's; absent = agency's. */
    record Device(String protocol, long number, String secretKey, String role, String firmware, List<String> allowedSources) {
    }

    record DeviceRef(String protocol, long number) {
    }

    record Order(String legalReference, SubjectRef subject, String kind, Instant startsAt, Instant endsAt,
                 String timeZone, String riskLevel, int noCommunicationLimitS, int noFixLimitS, List<Rule> rules) {
    }

    record Rule(String name, String kind, String zone, DeviceRef victimDevice, double distanceM, double warnDistanceM,
                double graceM, int openFixes, int openDwellS, int closeFixes, int closeDwellS, Boolean active,
                List<Window> schedule, List<ScheduleException> exceptions) {
    }

    /** {@code weekday}: MONDAY..SUNDAY; times "HH:mm" in the order's time zone; end before start runs past midnight. */
    record Window(String weekday, String start, String end) {
    }

    /** {@code action}: add or remove. */
    record ScheduleException(LocalDate date, String start, String end, String action, String reason) {
    }

    record Assignment(DeviceRef device, SubjectRef subject, Instant assignedAt) {
    }
}
