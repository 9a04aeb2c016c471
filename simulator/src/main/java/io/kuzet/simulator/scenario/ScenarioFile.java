package io.kuzet.simulator.scenario;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A scripted scenario as read from YAML or JSON: zones, subjects with a track of timed positions and timed device
 * actions (tamper, battery, comms loss, GPS outage, silence, lost ACK), how long to run, and the alerts expected.
 * Times are offsets from {@link #start} ({@code 90s}, {@code 10m}, {@code 2h}). A plain data holder filled by Jackson;
 * not thread-safe. Example: {@code simulator/src/test/resources/scenarios/exclusion-visit.yaml}.
 */
public final class ScenarioFile {
    public String name = "scenario";
    /** ISO instant at which simulated time starts. */
    public String start = "2026-06-01T06:00:00Z";
    public String timeZone = "Asia/Almaty";
    public String duration = "1h";
    public long seed = 1;
    public int noCommunicationLimitS;
    public int noFixLimitS;
    public List<Zone> zones = new ArrayList<>();
    public List<Subject> subjects = new ArrayList<>();
    public List<Expectation> expect = new ArrayList<>();

    /** A circular zone. */
    public static final class Zone {
        public String id;
        public String kind = "EXCLUSION";     // EXCLUSION | INCLUSION | CURFEW
        public double lat;
        public double lon;
        public double radiusM = 200;
        public String curfewStart = "22:00";  // CURFEW only, local time
        public String curfewEnd = "06:00";
    }

    /** A bracelet wearer or a victim unit. */
    public static final class Subject {
        public String id;
        public long device;
        public String role = "BRACELET";      // BRACELET | VICTIM_UNIT
        public String risk = "MEDIUM";
        public int reportingIntervalS = 60;
        public String sky = "OPEN_SKY";       // SkyView name
        public String accuracy = "HONEST";    // AccuracyReporting name
        public int battery = 90;
        public List<String> zones = new ArrayList<>();
        public Proximity proximity;
        public List<Waypoint> track = new ArrayList<>();
        public List<Action> actions = new ArrayList<>();
    }

    /** Stay more than {@code distanceM} from the victim unit of subject {@code victim}. */
    public static final class Proximity {
        public String victim;
        public double distanceM = 500;
    }

    /** The true position at {@code at}: absolute, or offset from a zone's centre. Moves linearly between waypoints. */
    public static final class Waypoint {
        public String at = "0s";
        public Double lat;
        public Double lon;
        public String zone;
        public double northM;
        public double eastM;
    }

    /** A device action at {@code at}. Exactly one of the fields below is set. */
    public static final class Action {
        public String at = "0s";
        public String event;        // DeviceEventType name, sent as a DEVICE_EVENT
        public Integer battery;     // battery percent from now on (reported in heartbeats)
        public String commsLoss;    // duration offline; fixes are buffered and replayed on reconnect
        public String noFix;        // duration with no GPS fix (shielding), still communicating
        public String silence;      // duration with the device off: nothing measured, nothing sent
        public Boolean loseAck;     // the next ACK is lost; the device retransmits
    }

    /** An alert the run must (count >= 1) or must not (count = 0) produce. */
    public static final class Expectation {
        public String type;
        public String phase = "RAISED";
        public String subject;
        public Boolean late;
        public Integer count;       // exact count; null = at least one
    }

    public static ScenarioFile read(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return read(in);
        }
    }

    public static ScenarioFile read(InputStream in) throws IOException {
        ObjectMapper mapper = new ObjectMapper(new YAMLFactory()).configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true);
        return mapper.readValue(in, ScenarioFile.class);
    }
}
