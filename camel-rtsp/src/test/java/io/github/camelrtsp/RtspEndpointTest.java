package io.github.camelrtsp;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import io.github.camelrtsp.client.RtspClientOptions;
import io.github.camelrtsp.client.TransportMode;
import org.apache.camel.ResolveEndpointFailedException;
import org.apache.camel.support.PropertyBindingSupport;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Endpoint URI parsing: no consumer is started, so nothing connects anywhere. */
class RtspEndpointTest extends CamelTestSupport {

    private RtspEndpoint endpoint(String uri) {
        return context.getEndpoint(uri, RtspEndpoint.class);
    }

    @Test
    void hostPortAndPath() {
        RtspEndpoint e = endpoint("rtsp://cam.local:8554/live/main");
        assertEquals("cam.local", e.getHost());
        assertEquals(8554, e.getPort());
        assertEquals("live/main", e.getPath());
        assertEquals("rtsp://cam.local:8554/live/main", e.cameraUrl());
    }

    @Test
    void defaultPorts() {
        assertEquals(554, endpoint("rtsp://cam1/a").getPort());
        RtspEndpoint tls = endpoint("rtsps://cam1/a");
        assertEquals(322, tls.getPort());
        assertEquals("rtsps://cam1/a", tls.cameraUrl());
        assertEquals(8322, endpoint("rtsps://cam1:8322/a").getPort());
    }

    @Test
    void cameraQueryPassesThroughInItsOrder() {
        assertEquals("rtsp://cam/cam/realmonitor?channel=1&subtype=0",
                endpoint("rtsp://cam/cam/realmonitor?channel=1&subtype=0").cameraUrl());
        // Camel sorts query parameters when it normalizes a URI: the camera must still get its own order
        assertEquals("rtsp://cam/other?subtype=0&channel=1&a=9",
                endpoint("rtsp://cam/other?subtype=0&channel=1&a=9").cameraUrl());
    }

    @Test
    void cameraQueryKeepsItsEncoding() {
        RtspEndpoint e = endpoint("rtsp://cam/enc?name=a%20b&dir=%2Fx%2F&sel=a|b&empty=&bare");
        assertEquals("rtsp://cam/enc?name=a%20b&dir=%2Fx%2F&sel=a|b&empty=&bare", e.cameraUrl());
        assertEquals(List.of("name", "dir", "sel", "empty", "bare"), e.cameraQueryKeys());
    }

    @Test
    void optionsAreTakenOutOfTheCameraQuery() {
        RtspEndpoint e = endpoint("rtsp://cam/cam/realmonitor?channel=1&transport=udp&subtype=0&maxQueueSize=50"
                                  + "&receiveTimeout=5s&media=video&reconnectDelay=250&maxReconnectDelay=1m");
        assertEquals("rtsp://cam/cam/realmonitor?channel=1&subtype=0", e.cameraUrl());
        RtspConfiguration c = e.getConfiguration();
        assertEquals("udp", c.getTransport());
        assertEquals(TransportMode.UDP, c.transportMode());
        assertEquals(50, c.getMaxQueueSize());
        assertEquals(5_000, c.getReceiveTimeout());
        assertEquals(250, c.getReconnectDelay());
        assertEquals(60_000, c.getMaxReconnectDelay());
        assertEquals(Set.of("video"), c.mediaTypes());
    }

    @Test
    void optionValuesAreUrlDecodedButCameraValuesAreNot() {
        RtspEndpoint e = endpoint("rtsp://cam/dec?userAgent=my%20agent+1&name=a%20b+c&media=RAW(video,audio)"
                                  + "&password=a%2Bb%40c");
        assertEquals("my agent 1", e.getConfiguration().getUserAgent());
        assertEquals("a+b@c", e.getConfiguration().getPassword());
        assertEquals("video,audio", e.getConfiguration().getMedia());
        assertEquals("rtsp://cam/dec?name=a%20b+c", e.cameraUrl());
        ResolveEndpointFailedException bad = assertThrows(ResolveEndpointFailedException.class,
                () -> context.getEndpoint("rtsp://cam/dec2?userAgent=RAW(x)&password=Secret%G1"));
        assertTrue(bad.getMessage().contains("option password"), bad.getMessage());
        assertFalse(bad.getMessage().contains("Secret"), bad.getMessage());
    }

    @Test
    void optionNamesBindIgnoringCaseAsEverywhereInCamel() {
        RtspEndpoint e = endpoint("rtsp://cam/case?Transport=udp&Channel=2");
        assertEquals("udp", e.getConfiguration().getTransport());
        assertEquals("rtsp://cam/case?Channel=2", e.cameraUrl());
    }

    @Test
    void mistypedOptionGoesToTheCameraAndIsPointedOut() {
        RtspEndpoint e = endpoint("rtsp://cam/typo?channel=1&transprt=udp&recieveTimeout=5s");
        assertEquals("rtsp://cam/typo?channel=1&transprt=udp&recieveTimeout=5s", e.cameraUrl());
        assertEquals("tcp", e.getConfiguration().getTransport());
        assertEquals(Map.of("transprt", "transport", "recieveTimeout", "receiveTimeout"),
                e.suspiciousCameraQueryKeys());
    }

    @Test
    void cameraParametersNamedLikeUriPartsPassThroughUnflagged() {
        RtspEndpoint e = endpoint("rtsp://cam/parts?host=a&port=8000&path=x&channel=1&subtype=0&stream=1");
        assertEquals("rtsp://cam/parts?host=a&port=8000&path=x&channel=1&subtype=0&stream=1", e.cameraUrl());
        assertEquals(554, e.getPort());
        assertEquals("parts", e.getPath());
        assertEquals(Map.of(), e.suspiciousCameraQueryKeys());
    }

    @Test
    void credentialsFromUserInfoAreDecodedAndNotSentInTheUrl() throws Exception {
        RtspEndpoint e = endpoint("rtsp://admin:p%40ss%3Aw%2Frd%25%20x@cam/creds?channel=1");
        assertEquals("admin", e.getConfiguration().getUsername());
        assertEquals("p@ss:w/rd% x", e.getConfiguration().getPassword());
        assertEquals("rtsp://cam/creds?channel=1", e.cameraUrl());
        RtspClientOptions options = e.createClientOptions();
        assertEquals("rtsp://cam/creds?channel=1", options.url());
        assertEquals("admin", options.credentials().username());
        assertEquals("p@ss:w/rd% x", options.credentials().password());
    }

    @Test
    void credentialOptionsBeatUserInfo() {
        RtspEndpoint e = endpoint("rtsp://admin:one@cam/both?username=viewer&password=RAW(two&three)");
        assertEquals("viewer", e.getConfiguration().getUsername());
        assertEquals("two&three", e.getConfiguration().getPassword());
        assertEquals("rtsp://cam/both", e.cameraUrl());
    }

    @Test
    void userInfoBeatsComponentCredentialsAndComponentCredentialsAreTheFallback() {
        RtspComponent component = context.getComponent("rtsp", RtspComponent.class);
        component.getConfiguration().setUsername("defaultUser");
        component.getConfiguration().setPassword("defaultPw");
        RtspEndpoint fromUserInfo = endpoint("rtsp://admin:pw@cam/ui");
        assertEquals("admin", fromUserInfo.getConfiguration().getUsername());
        assertEquals("pw", fromUserInfo.getConfiguration().getPassword());
        RtspEndpoint fromComponent = endpoint("rtsp://cam/comp");
        assertEquals("defaultUser", fromComponent.getConfiguration().getUsername());
        assertEquals("defaultPw", fromComponent.getConfiguration().getPassword());
        RtspEndpoint userOnly = endpoint("rtsp://viewer@cam/useronly");
        assertEquals("viewer", userOnly.getConfiguration().getUsername());
        assertEquals("defaultPw", userOnly.getConfiguration().getPassword());
    }

    @Test
    void componentOptionsAreInheritedAsACopy() {
        RtspComponent component = context.getComponent("rtsp", RtspComponent.class);
        component.getConfiguration().setTransport("auto");
        component.getConfiguration().setReceiveTimeout(3_000);
        component.getConfiguration().setMaxQueueSize(77);
        RtspEndpoint a = endpoint("rtsp://cam/inherit-a");
        RtspEndpoint b = endpoint("rtsp://cam/inherit-b?transport=tcp");
        assertEquals("auto", a.getConfiguration().getTransport());
        assertEquals(3_000, a.getConfiguration().getReceiveTimeout());
        assertEquals(77, a.getConfiguration().getMaxQueueSize());
        assertEquals("tcp", b.getConfiguration().getTransport());
        assertEquals(77, b.getConfiguration().getMaxQueueSize());
        assertNotSame(component.getConfiguration(), a.getConfiguration());
        assertNotSame(a.getConfiguration(), b.getConfiguration());
        assertEquals("auto", component.getConfiguration().getTransport());
    }

    @Test
    void componentOptionsBindThroughTheGeneratedConfigurer() {
        RtspComponent component = context.getComponent("rtsp", RtspComponent.class);
        assertTrue(component.getComponentPropertyConfigurer() instanceof RtspComponentConfigurer);
        PropertyBindingSupport.build()
                .withConfigurer(component.getComponentPropertyConfigurer())
                .bind(context, component, new HashMap<>(Map.of("userAgent", "my-agent/1.0", "requestTimeout", "2s",
                        "ioThreads", "3", "maxReconnectDelay", "1m")));
        assertEquals("my-agent/1.0", component.getConfiguration().getUserAgent());
        assertEquals(2_000, component.getConfiguration().getRequestTimeout());
        assertEquals(60_000, component.getConfiguration().getMaxReconnectDelay());
        assertEquals(3, component.getIoThreads());
        assertEquals("my-agent/1.0", endpoint("rtsp://cam/bound").getConfiguration().getUserAgent());
    }

    @Test
    void configurationCopyIsIndependent() {
        RtspConfiguration original = new RtspConfiguration();
        original.setTransport("udp");
        original.setUsername("u");
        original.setMaxQueueSize(42);
        RtspConfiguration copy = original.copy();
        assertNotSame(original, copy);
        assertEquals("udp", copy.getTransport());
        assertEquals("u", copy.getUsername());
        assertEquals(42, copy.getMaxQueueSize());
        copy.setTransport("tcp");
        copy.setMaxQueueSize(7);
        assertEquals("udp", original.getTransport());
        assertEquals(42, original.getMaxQueueSize());
        assertSame(original.getSslContextParameters(), copy.getSslContextParameters());
    }

    @Test
    void clientOptionsFollowTheConfiguration() throws Exception {
        RtspEndpoint e = endpoint("rtsp://cam/opts?transport=auto&media=all&connectTimeout=2s&requestTimeout=3s"
                                  + "&udpFallbackTimeout=1500&maxReconnectAttempts=4&userAgent=agent"
                                  + "&verifyHostname=false");
        RtspClientOptions o = e.createClientOptions();
        assertEquals(TransportMode.AUTO, o.transport());
        assertEquals(Set.of("all"), o.media());
        assertEquals(2_000, o.connectTimeout().toMillis());
        assertEquals(3_000, o.requestTimeout().toMillis());
        assertEquals(10_000, o.receiveTimeout().toMillis());
        assertEquals(1_500, o.udpFallbackTimeout().toMillis());
        assertEquals(1_000, o.reconnectDelay().toMillis());
        assertEquals(30_000, o.maxReconnectDelay().toMillis());
        assertEquals(4, o.maxReconnectAttempts());
        assertEquals("agent", o.userAgent());
        assertFalse(o.verifyHostname());
        assertNull(o.credentials());
        assertNull(o.sslContext());
    }

    @Test
    void badOptionValuesAreRejectedWithTheOptionName() {
        assertRejected("rtsp://cam/bad1?transport=quic", "transport");
        assertRejected("rtsp://cam/bad2?media=video,smell", "media");
        assertRejected("rtsp://cam/bad3?output=segments", "output");
        assertRejected("rtsp://cam/bad4?maxQueueSize=1", "maxQueueSize");
        assertRejected("rtsp://cam/bad5?maxReconnectDelay=100&reconnectDelay=1s", "maxReconnectDelay");
        assertRejected("rtsp://cam/bad6?receiveTimeout=0", "receiveTimeout");
        assertRejected("rtsp://cam/bad7?maxReconnectAttempts=-2", "maxReconnectAttempts");
        assertRejected("rtsp://cam/bad8?udpPortRange=50000-abc", "udpPortRange");
        assertRejected("rtsp://cam/bad9?udpPortRange=100-200", "udpPortRange");
        assertRejected("rtsp://cam/bad10?maxFrameSize=10", "maxFrameSize");
    }

    @Test
    void udpPortRangeReachesTheClient() throws Exception {
        RtspEndpoint e = endpoint("rtsp://cam/ports?transport=udp&udpPortRange=50000-50999");
        assertEquals(50000, e.createClientOptions().udpPortMin());
        assertEquals(50999, e.createClientOptions().udpPortMax());
    }

    private void assertRejected(String uri, String option) {
        ResolveEndpointFailedException e = assertThrows(ResolveEndpointFailedException.class,
                () -> context.getEndpoint(uri));
        assertTrue(e.getMessage().contains(option), e.getMessage());
    }

    @Test
    void producerIsAvailable() throws Exception {
        RtspEndpoint e = endpoint("rtsp://cam/producer");
        assertTrue(e.createProducer() instanceof RtspProducer);
    }

    /**
     * Real cameras put their own query into the stream URL (Dahua: channel/subtype/unicast/proto; Hikvision:
     * transportmode/profile). Their Content-Base/control URLs from the corpus, mixed with endpoint options, must reach
     * the camera exactly as the camera wrote them.
     */
    @Test
    void cameraUrlsWithQueriesFromTheCorpusPassThroughUnchanged() throws IOException {
        List<String> urls = corpusUrlsWithQuery();
        assertTrue(urls.size() >= 3, "corpus URLs with a query: " + urls);
        int i = 0;
        for (String url : urls) {
            // a Content-Base ends with '/', which belongs to the base, not to the URL the client asked for
            String cameraUrl = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
            RtspEndpoint e = endpoint(cameraUrl + "&transport=udp&maxQueueSize=" + (100 + i++));
            assertEquals(cameraUrl, e.cameraUrl(), "from corpus URL " + url);
            assertEquals("udp", e.getConfiguration().getTransport());
        }
    }

    static List<String> corpusUrlsWithQuery() throws IOException {
        Pattern p = Pattern.compile("(?m)^(?:Content-Base:\\s*|a=control:)(rtsp://\\S+\\?\\S+)\\s*$");
        List<String> urls = new ArrayList<>();
        try (Stream<Path> files = Files.list(corpusDir().resolve("responses"))) {
            for (Path f : (Iterable<Path>) files.sorted()::iterator) {
                Matcher m = p.matcher(Files.readString(f, StandardCharsets.ISO_8859_1));
                while (m.find()) {
                    urls.add(m.group(1));
                }
            }
        }
        return urls;
    }

    static Path corpusDir() {
        String dir = System.getProperty("camelrtsp.corpus.dir");
        Path path = dir != null ? Paths.get(dir) : Paths.get("../../shared/camera-corpus");
        assertTrue(Files.isDirectory(path), "camera corpus not found at " + path.toAbsolutePath());
        return path;
    }
}
