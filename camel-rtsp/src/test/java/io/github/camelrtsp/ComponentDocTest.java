package io.github.camelrtsp;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

import org.apache.camel.util.json.JsonObject;
import org.apache.camel.util.json.Jsoner;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The option and header tables of {@code rtsp-component.adoc} are rendered from the generated component JSON, so the
 * documentation cannot drift from the code. Run with {@code -Dcamelrtsp.updateDocs=true} to rewrite them.
 */
class ComponentDocTest {

    static final String START = "// generated from rtsp.json by ComponentDocTest: START";
    static final String END = "// generated from rtsp.json by ComponentDocTest: END";

    private static final Path JSON = Paths.get("src/generated/resources/META-INF/io/github/camelrtsp/rtsp.json");
    private static final Path ADOC = Paths.get("src/main/docs/rtsp-component.adoc");

    @Test
    void tablesMatchTheGeneratedJson() throws Exception {
        String expected = render(readJson());
        String adoc = Files.readString(ADOC, StandardCharsets.UTF_8);
        int start = adoc.indexOf(START);
        int end = adoc.indexOf(END);
        assertTrue(start >= 0 && end > start, "markers missing in " + ADOC);
        String current = adoc.substring(start + START.length(), end);
        if (Boolean.getBoolean("camelrtsp.updateDocs")) {
            if (!current.equals(expected)) {
                Files.writeString(ADOC, adoc.substring(0, start + START.length()) + expected + adoc.substring(end),
                        StandardCharsets.UTF_8);
            }
            return;
        }
        assertEquals(expected, current, ADOC + " is out of date: run the test with -Dcamelrtsp.updateDocs=true");
    }

    @Test
    void jsonDescribesEveryOptionAndHeader() throws Exception {
        JsonObject json = readJson();
        for (String section : List.of("componentProperties", "properties", "headers")) {
            JsonObject options = (JsonObject) json.get(section);
            assertTrue(options.size() > 3, section);
            options.forEach((name, o) -> {
                Object description = ((JsonObject) o).get("description");
                assertTrue(description instanceof String s && s.length() > 10,
                        section + "." + name + " has no Javadoc");
            });
        }
        JsonObject props = (JsonObject) json.get("properties");
        for (String name : List.of("transport", "media", "output", "username", "password", "sslContextParameters",
                "verifyHostname", "connectTimeout", "requestTimeout", "receiveTimeout", "udpFallbackTimeout",
                "reconnectDelay", "maxReconnectDelay", "maxReconnectAttempts", "userAgent", "maxQueueSize")) {
            assertTrue(props.containsKey(name), "endpoint option " + name);
        }
        assertEquals(Boolean.TRUE, ((JsonObject) props.get("password")).get("secret"));
        assertEquals(Boolean.TRUE, ((JsonObject) props.get("username")).get("secret"));
        assertEquals("duration", ((JsonObject) props.get("receiveTimeout")).get("type"));
        JsonObject component = (JsonObject) json.get("component");
        assertNotEquals(Boolean.TRUE, component.get("consumerOnly"), "the component has a producer");
        for (String name : List.of("method", "throwExceptionOnFailure", "consumerRouteId", "range", "scale", "speed")) {
            assertTrue(props.containsKey(name), "endpoint option " + name);
        }
        assertEquals("rtsp,rtsps", component.get("alternativeSchemes"));
    }

    static JsonObject readJson() throws IOException, org.apache.camel.util.json.DeserializationException {
        return (JsonObject) Jsoner.deserialize(Files.readString(JSON, StandardCharsets.UTF_8));
    }

    /** The three tables, each under its own heading, as AsciiDoc. */
    static String render(JsonObject json) {
        List<Map.Entry<String, Object>> path = new ArrayList<>();
        List<Map.Entry<String, Object>> query = new ArrayList<>();
        for (Map.Entry<String, Object> e : sorted((JsonObject) json.get("properties"))) {
            ("path".equals(((JsonObject) e.getValue()).get("kind")) ? path : query).add(e);
        }
        StringBuilder sb = new StringBuilder("\n");
        List<Map.Entry<String, Object>> component = sorted((JsonObject) json.get("componentProperties"));
        sb.append("\n== Component Options\n\n")
                .append("The RTSP component supports ").append(component.size())
                .append(" options, which are listed below. The options of the endpoint configuration set here are the")
                .append(" defaults of every endpoint.\n\n");
        table(sb, component, true);
        sb.append("\n== Endpoint Options\n\nThe RTSP endpoint is configured using URI syntax:\n\n----\n")
                .append(((JsonObject) json.get("component")).get("syntax"))
                .append("\n----\n\nwith the following path and query parameters.\n\n")
                .append("=== Path Parameters (").append(path.size()).append(" parameters)\n\n");
        table(sb, path, true);
        sb.append("\n=== Query Parameters (").append(query.size()).append(" parameters)\n\n");
        table(sb, query, true);
        List<Map.Entry<String, Object>> headers = sorted((JsonObject) json.get("headers"));
        sb.append("\n== Message Headers\n\nThe RTSP component supports ").append(headers.size())
                .append(" message headers, which are listed below. The consumer sets all of them on every")
                .append(" exchange.\n\n");
        table(sb, headers, false);
        return sb.append('\n').toString();
    }

    private static List<Map.Entry<String, Object>> sorted(JsonObject options) {
        List<Map.Entry<String, Object>> list = new ArrayList<>(options.entrySet());
        list.sort(Comparator.comparingInt(e -> ((Number) ((JsonObject) e.getValue()).get("index")).intValue()));
        return list;
    }

    private static void table(StringBuilder sb, List<Map.Entry<String, Object>> rows, boolean withDefault) {
        sb.append(withDefault ? "[width=\"100%\",cols=\"2,5,^1,2\",options=\"header\"]\n"
                : "[width=\"100%\",cols=\"2,5,2\",options=\"header\"]\n");
        sb.append("|===\n| Name | Description").append(withDefault ? " | Default" : "").append(" | Type\n");
        for (Map.Entry<String, Object> row : rows) {
            JsonObject o = (JsonObject) row.getValue();
            StringBuilder description = new StringBuilder();
            if (o.get("group") != null && !"header".equals(o.get("kind"))) {
                description.append('_').append(o.get("group")).append("_ ");
            }
            if (Boolean.TRUE.equals(o.get("required"))) {
                description.append("*Required* ");
            }
            if (Boolean.TRUE.equals(o.get("secret"))) {
                description.append("*Secret* ");
            }
            description.append(o.get("description"));
            if (o.get("enum") instanceof List<?> values) {
                description.append(" Enum values: ");
                for (int i = 0; i < values.size(); i++) {
                    description.append(i == 0 ? "" : ", ").append('`').append(values.get(i)).append('`');
                }
                description.append('.');
            }
            sb.append("| *").append(row.getKey()).append("* | ").append(cell(description.toString()));
            if (withDefault) {
                Object def = o.get("defaultValue");
                sb.append(" | ").append(def == null ? "" : "`" + cell(String.valueOf(def)) + "`");
            }
            sb.append(" | ").append(cell(typeName(o))).append('\n');
        }
        sb.append("|===\n");
    }

    private static String typeName(JsonObject o) {
        if ("duration".equals(o.get("type"))) {
            return "Duration";
        }
        String javaType = String.valueOf(o.get("javaType"));
        return javaType.substring(javaType.lastIndexOf('.') + 1);
    }

    private static String cell(String text) {
        return text.replace("|", "\\|");
    }
}
