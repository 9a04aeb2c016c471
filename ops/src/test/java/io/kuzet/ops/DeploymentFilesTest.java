package io.kuzet.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.kuzet.server.config.ConfigLoader;
import io.kuzet.server.config.ServerConfig;
import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The deployment files no container engine here can start (ops/README.md, "Not exercised in CI"): what can be checked
 * without one is. The compose files parse and every service, volume, network and file they name exists; every
 * {@code KUZET_*} variable is a real configuration key and each node's environment loads through the server's own
 * {@link ConfigLoader}; the Kafka cluster is three replicating KRaft brokers; HAProxy balances every device port Kuzet
 * listens on over both nodes with a PROXY v2 header and a {@code /health/ready} check; Prometheus scrapes both nodes.
 */
class DeploymentFilesTest {
    private static final YAMLMapper YAML = new YAMLMapper();
    private static final Path DEPLOY = OpsFiles.OPS.resolve("deploy");
    private static final Path KAFKA_COMPOSE = DEPLOY.resolve("compose.kafka.yaml");
    private static final Path HAPROXY_CFG = DEPLOY.resolve("haproxy.cfg");
    private static final Path KAFKA_SCRAPE_CONFIG = DEPLOY.resolve("prometheus.kafka.yml");
    /** Variables the server reads that are not configuration keys (docs/operations.md, "environment only"). */
    private static final Set<String> ENVIRONMENT_ONLY = Set.of("KUZET_AUDIT_KEY");
    /** Values for the variables an operator must export ({@code ${NAME:?message}}). */
    private static final Map<String, String> EXPORTED = Map.of(
            "KUZET_LIVE_TOKEN", "0123456789abcdef0123456789abcdef",
            "KUZET_DB_PASSWORD", "db-password",
            "GRAFANA_ADMIN_PASSWORD", "grafana-password",
            "KAFKA_CLUSTER_ID", "4L6g3nShT-eMCtK--X86sw");
    private static final Pattern INTERPOLATION = Pattern.compile("\\$\\{(\\w+)(?::([?-])([^}]*))?}");

    @ParameterizedTest
    @ValueSource(strings = {"compose.yaml", "compose.kafka.yaml"})
    void composeFileParsesAndEveryServiceVolumeNetworkAndFileItNamesExists(String file) throws IOException {
        JsonNode compose = YAML.readTree(DEPLOY.resolve(file).toFile());
        JsonNode services = compose.path("services");
        assertFalse(services.isEmpty(), file + " has no services");
        List<String> problems = new ArrayList<>();
        services.fields().forEachRemaining(entry -> {
            String name = entry.getKey();
            JsonNode service = entry.getValue();
            if (!service.has("image") && !service.has("build")) {
                problems.add(name + ": neither image nor build");
            }
            JsonNode build = service.path("build");
            if (!build.isMissingNode() && !Files.isRegularFile(DEPLOY.resolve(build.path("context").asText()).resolve(build.path("dockerfile").asText()))) {
                problems.add(name + ": build file " + build + " does not exist");
            }
            for (String dependency : names(service.path("depends_on"))) {
                if (!services.has(dependency)) {
                    problems.add(name + ": depends on '" + dependency + "', which is not a service");
                }
            }
            for (String network : names(service.path("networks"))) {
                if (!compose.path("networks").has(network)) {
                    problems.add(name + ": network '" + network + "' is not declared");
                }
            }
            for (JsonNode mount : service.path("volumes")) {
                String source = mount.asText().split(":")[0];
                if (source.startsWith(".")) {
                    if (!Files.exists(DEPLOY.resolve(source))) {
                        problems.add(name + ": mounts " + source + ", which does not exist beside " + file);
                    }
                } else if (!compose.path("volumes").has(source)) {
                    problems.add(name + ": volume '" + source + "' is not declared");
                }
            }
        });
        assertEquals(List.of(), problems);
    }

    @ParameterizedTest
    @ValueSource(strings = {"compose.yaml", "compose.kafka.yaml"})
    void everyKuzetVariableIsAConfigurationKeyAndEachNodesEnvironmentLoads(String file) throws IOException {
        Set<String> known = configurationVariables();
        Map<String, ServerConfig> nodes = kuzetNodes(YAML.readTree(DEPLOY.resolve(file).toFile()));
        assertFalse(nodes.isEmpty(), file + " runs no Kuzet node");
        List<String> problems = new ArrayList<>();
        for (Map.Entry<String, Map<String, String>> node : kuzetEnvironments(YAML.readTree(DEPLOY.resolve(file).toFile())).entrySet()) {
            for (String variable : node.getValue().keySet()) {
                if (variable.startsWith("KUZET_") && !known.contains(variable) && !ENVIRONMENT_ONLY.contains(variable)) {
                    problems.add(node.getKey() + ": " + variable + " is not a configuration key (a typo is silently ignored)");
                }
            }
        }
        assertEquals(List.of(), problems);
    }

    @Test
    void kafkaClusterIsThreeKraftBrokersWithReplicationThreeMinIsrTwoAndNoUncleanElection() throws IOException {
        JsonNode compose = YAML.readTree(KAFKA_COMPOSE.toFile());
        Map<String, Map<String, String>> brokers = brokers(compose);
        assertEquals(3, brokers.size(), "brokers: " + brokers.keySet());
        Set<String> voters = new TreeSet<>();
        Set<String> ids = new TreeSet<>();
        Set<String> clusterIds = new TreeSet<>();
        brokers.forEach((name, env) -> {
            ids.add(env.get("KAFKA_NODE_ID"));
            clusterIds.add(env.get("CLUSTER_ID"));
            assertEquals("broker,controller", env.get("KAFKA_PROCESS_ROLES"), name);
            assertEquals("PLAINTEXT://" + name + ":9092", env.get("KAFKA_ADVERTISED_LISTENERS"), name + ": advertised to the nodes by service name");
            assertEquals("3", env.get("KAFKA_DEFAULT_REPLICATION_FACTOR"), name);
            assertEquals("2", env.get("KAFKA_MIN_INSYNC_REPLICAS"), name);
            assertEquals("false", env.get("KAFKA_UNCLEAN_LEADER_ELECTION_ENABLE"), name);
            assertEquals("3", env.get("KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR"), name);
            assertTrue(env.get("KAFKA_LISTENERS").contains("CONTROLLER://:9093"), name);
            voters.add(env.get("KAFKA_NODE_ID") + "@" + name + ":9093");
        });
        assertEquals(3, ids.size(), "node ids must differ: " + ids);
        assertEquals(1, clusterIds.size(), "one cluster id: " + clusterIds);
        brokers.forEach((name, env) -> assertEquals(voters, Set.of(env.get("KAFKA_CONTROLLER_QUORUM_VOTERS").split(",")),
                name + ": every broker votes with the same three controllers"));
    }

    @Test
    void twoKuzetNodesRunOnTheKafkaJournalOfTheseBrokersAndTrustPROXYHeadersOnlyFromHaproxy() throws Exception {
        JsonNode compose = YAML.readTree(KAFKA_COMPOSE.toFile());
        Map<String, ServerConfig> nodes = kuzetNodes(compose);
        assertEquals(2, nodes.size(), "Kuzet nodes: " + nodes.keySet());
        Set<String> brokerAddresses = new TreeSet<>();
        brokers(compose).keySet().forEach(b -> brokerAddresses.add(b + ":9092"));
        InetAddress haproxy = InetAddress.getByName(compose.path("services").path("haproxy").path("networks")
                .path("kuzet").path("ipv4_address").asText());
        nodes.forEach((name, config) -> {
            assertEquals(ServerConfig.JournalKind.KAFKA, config.journal.kind, name);
            assertEquals(brokerAddresses, Set.of(config.kafka.bootstrapServers.split(",")), name + ": kafka.bootstrapServers");
            assertEquals(3, config.kafka.replicationFactor, name);
            assertEquals(2, config.kafka.minInsyncReplicas, name);
            assertTrue(config.ports.proxyProtocol, name + ": ports.proxyProtocol");
            assertTrue(config.ports.proxyProtocolBalancers().contains(haproxy), name + ": haproxy's address in ports.proxyProtocolFrom");
            assertTrue(compose.path("services").path(name).path("ports").isEmpty(),
                    name + ": publishes no port; devices and operators come through haproxy");
        });
        assertEquals(Set.of("kuzet-1", "kuzet-2"), nodes.keySet());
        assertEquals(1, nodes.values().stream().map(c -> c.kafka.topic + "/" + c.kafka.partitions).distinct().count(),
                "both nodes on the same topic with the same partition count");
    }

    @Test
    void haproxyBalancesEveryDevicePortOverBothNodesWithAProxyV2HeaderAndAReadyCheck() throws IOException {
        JsonNode compose = YAML.readTree(KAFKA_COMPOSE.toFile());
        Map<String, ServerConfig> nodes = kuzetNodes(compose);
        ServerConfig any = nodes.values().iterator().next();
        Map<String, List<String>> sections = haproxySections(Files.readString(HAPROXY_CFG));
        JsonNode haproxy = compose.path("services").path("haproxy");
        assertTrue(texts(haproxy.path("volumes")).contains("./haproxy.cfg:/usr/local/etc/haproxy/haproxy.cfg:ro"), "haproxy mounts haproxy.cfg");
        Set<String> published = new TreeSet<>(texts(haproxy.path("ports")));
        assertTrue(sections.get("defaults").contains("default-server check port " + any.ports.http + " inter 2s fall 3 rise 2 resolvers docker init-addr last,libc,none"),
                "checks go to the nodes' HTTP port: " + sections.get("defaults"));

        List<String> problems = new ArrayList<>();
        Map<String, Integer> devicePorts = new LinkedHashMap<>();
        devicePorts.put("kuzet", any.ports.kuzet);
        devicePorts.put("kuzetTls", any.ports.kuzetTls);
        devicePorts.put("gt06", any.ports.gt06);
        devicePorts.put("watch", any.ports.watch);
        devicePorts.forEach((port, number) -> {
            List<String> backend = backendOfFrontendBinding(sections, number, problems, "ports." + port);
            if (backend == null) {
                return;
            }
            if (!backend.contains("option httpchk GET /health/ready") || !backend.contains("http-check expect status 200")) {
                problems.add("ports." + port + ": backend has no /health/ready check: " + backend);
            }
            Set<String> servers = new TreeSet<>();
            for (String node : nodes.keySet()) {
                servers.add("server " + node + " " + node + ":" + number + " send-proxy-v2");
            }
            if (!servers.equals(serverLines(backend))) {
                problems.add("ports." + port + ": expected servers " + servers + ", got " + serverLines(backend));
            }
            if (!published.contains(number + ":" + number)) {
                problems.add("ports." + port + ": haproxy does not publish " + number);
            }
        });
        List<String> http = backendOfFrontendBinding(sections, any.ports.http, problems, "ports.http");
        if (http != null) {
            Set<String> servers = new TreeSet<>();
            nodes.keySet().forEach(node -> servers.add("server " + node + " " + node + ":" + any.ports.http));
            assertEquals(servers, serverLines(http), "HTTP: both nodes, no PROXY header (the HTTP port reads none)");
            assertTrue(http.contains("option httpchk GET /health/ready"), http.toString());
        }
        assertEquals(List.of(), problems);
    }

    @Test
    void prometheusScrapesBothNodesAndLoadsTheAlertRulesMountedBesideIt(@TempDir Path etcPrometheus) throws IOException {
        JsonNode compose = YAML.readTree(KAFKA_COMPOSE.toFile());
        Map<String, ServerConfig> nodes = kuzetNodes(compose);
        Set<String> expected = new TreeSet<>();
        nodes.forEach((name, config) -> expected.add(name + ":" + config.ports.http));
        Set<String> targets = new TreeSet<>();
        for (JsonNode job : YAML.readTree(KAFKA_SCRAPE_CONFIG.toFile()).path("scrape_configs")) {
            if (job.path("job_name").asText().equals("kuzet")) {
                job.path("static_configs").forEach(c -> targets.addAll(texts(c.path("targets"))));
            }
        }
        assertEquals(expected, targets, "job kuzet scrapes each node directly");

        JsonNode prometheus = compose.path("services").path("prometheus");
        List<String> mounts = texts(prometheus.path("volumes"));
        assertTrue(mounts.contains("./prometheus.kafka.yml:/etc/prometheus/prometheus.yml:ro"), mounts.toString());
        assertTrue(mounts.contains("../prometheus/kuzet-alerts.yml:/etc/prometheus/kuzet-alerts.yml:ro"), mounts.toString());
        Files.copy(KAFKA_SCRAPE_CONFIG, etcPrometheus.resolve("prometheus.yml"));
        Files.copy(OpsFiles.ALERT_RULES, etcPrometheus.resolve("kuzet-alerts.yml"));
        String output = Promtool.runExpectingSuccess(etcPrometheus, "check", "config", "prometheus.yml");
        assertTrue(output.contains("1 rule files found"), output);

        JsonNode single = YAML.readTree(DEPLOY.resolve("compose.yaml").toFile());
        ObjectNode grafana = compose.path("services").path("grafana").deepCopy();
        grafana.remove("networks");
        assertEquals(single.path("services").path("grafana"), grafana,
                "Grafana as in the single-node compose file (dashboard and data source provisioned)");
    }

    // ---- helpers -------------------------------------------------------------------------------------------------

    /** {@code KUZET_SECTION_KEY} for every configuration key, derived from {@link ServerConfig} as ConfigLoader does. */
    static Set<String> configurationVariables() {
        Set<String> variables = new TreeSet<>();
        for (Field section : ServerConfig.class.getFields()) {
            if (Modifier.isStatic(section.getModifiers())) {
                continue;
            }
            for (Field field : section.getType().getFields()) {
                if (!Modifier.isStatic(field.getModifiers())) {
                    variables.add("KUZET_" + upperSnake(section.getName()) + "_" + upperSnake(field.getName()));
                }
            }
        }
        return variables;
    }

    private static String upperSnake(String camel) {
        return camel.replaceAll("(?<=.)(\\p{Upper})", "_$1").toUpperCase(java.util.Locale.ROOT);
    }

    /** Services whose environment sets a KUZET_ variable, with that environment interpolated. */
    private static Map<String, Map<String, String>> kuzetEnvironments(JsonNode compose) {
        Map<String, Map<String, String>> nodes = new TreeMap<>();
        compose.path("services").fields().forEachRemaining(entry -> {
            Map<String, String> env = environment(entry.getValue());
            if (env.keySet().stream().anyMatch(k -> k.startsWith("KUZET_"))) {
                nodes.put(entry.getKey(), env);
            }
        });
        return nodes;
    }

    /** Each Kuzet service's configuration as the server loads it from that environment (it must load). */
    private static Map<String, ServerConfig> kuzetNodes(JsonNode compose) {
        Map<String, ServerConfig> nodes = new TreeMap<>();
        kuzetEnvironments(compose).forEach((name, env) -> nodes.put(name, ConfigLoader.load(null, env)));
        return nodes;
    }

    private static Map<String, Map<String, String>> brokers(JsonNode compose) {
        Map<String, Map<String, String>> brokers = new TreeMap<>();
        compose.path("services").fields().forEachRemaining(entry -> {
            if (entry.getValue().path("image").asText().startsWith("docker.io/apache/kafka:")) {
                brokers.put(entry.getKey(), environment(entry.getValue()));
            }
        });
        return brokers;
    }

    private static Map<String, String> environment(JsonNode service) {
        Map<String, String> env = new HashMap<>();
        service.path("environment").fields().forEachRemaining(e -> env.put(e.getKey(), interpolate(e.getValue().asText())));
        return env;
    }

    /** Compose interpolation: {@code ${X:?message}} takes the value an operator exports, {@code ${X:-default}} its default. */
    private static String interpolate(String value) {
        Matcher m = INTERPOLATION.matcher(value);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String replacement = "-".equals(m.group(2)) ? m.group(3) : EXPORTED.get(m.group(1));
            if (replacement == null) {
                throw new AssertionError("no sample value for " + m.group());
            }
            m.appendReplacement(out, Matcher.quoteReplacement(replacement));
        }
        return m.appendTail(out).toString();
    }

    /** Names in a list ({@code [a, b]}) or a mapping ({@code a: {...}}) of depends_on / networks. */
    private static List<String> names(JsonNode node) {
        List<String> names = new ArrayList<>();
        if (node.isArray()) {
            node.forEach(n -> names.add(n.asText()));
        } else {
            node.fieldNames().forEachRemaining(names::add);
        }
        return names;
    }

    private static List<String> texts(JsonNode array) {
        List<String> texts = new ArrayList<>();
        array.forEach(n -> texts.add(n.asText()));
        return texts;
    }

    /** HAProxy sections by header ({@code defaults}, {@code frontend x}, ...), each a list of its lines without comments. */
    static Map<String, List<String>> haproxySections(String cfg) {
        Map<String, List<String>> sections = new LinkedHashMap<>();
        List<String> current = null;
        for (String raw : cfg.split("\n")) {
            String line = raw.replaceAll("\\s*#.*$", "");
            if (line.isBlank()) {
                continue;
            }
            if (!Character.isWhitespace(line.charAt(0))) {
                current = new ArrayList<>();
                sections.put(line.strip().replaceAll("\\s+", " "), current);
            } else if (current != null) {
                current.add(line.strip().replaceAll("\\s+", " "));
            }
        }
        return sections;
    }

    private static List<String> backendOfFrontendBinding(Map<String, List<String>> sections, int port, List<String> problems, String what) {
        for (Map.Entry<String, List<String>> section : sections.entrySet()) {
            if (section.getKey().startsWith("frontend ") && section.getValue().contains("bind :" + port)) {
                String backend = section.getValue().stream().filter(l -> l.startsWith("default_backend "))
                        .map(l -> l.substring("default_backend ".length())).findFirst().orElse("");
                List<String> lines = sections.get("backend " + backend);
                if (lines == null) {
                    problems.add(what + ": frontend " + section.getKey() + " names backend '" + backend + "', which does not exist");
                }
                return lines;
            }
        }
        problems.add(what + ": no haproxy frontend binds :" + port);
        return null;
    }

    private static Set<String> serverLines(List<String> backend) {
        Set<String> servers = new TreeSet<>();
        backend.stream().filter(l -> l.startsWith("server ")).forEach(servers::add);
        return servers;
    }
}
