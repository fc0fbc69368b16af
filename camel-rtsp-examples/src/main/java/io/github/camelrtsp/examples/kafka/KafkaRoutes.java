package io.github.camelrtsp.examples.kafka;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.github.camelrtsp.RtspConstants;
import io.github.camelrtsp.examples.Cameras;
import io.github.camelrtsp.examples.Cameras.Camera;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.kafka.KafkaConstants;

/**
 * Cameras to Kafka and back. Producer side, per camera of {@link Cameras}: every media frame to topic
 * {@code kafka.framesTopic} keyed by the camera name, with the RTSP headers as Kafka headers (H.264/H.265 key frames
 * carry their parameter sets, so a reader can start at any key frame), and, when {@code kafka.segments} is true,
 * fMP4 segments to topic {@code kafka.segmentsTopic}. Consumer side (when {@code kafka.rebuild} is true): rebuilds
 * per camera an Annex B elementary stream {@code <camera>.h264} (or {@code .h265}) from the video frames, starting
 * at the first key frame, and {@code <camera>/segment-<sequence>.mp4}, one playable file per segment, in
 * {@code kafka.outputDir}. (Each segment has its own timeline starting at 0, so the segments are kept as files rather
 * than appended into one.) The
 * broker is {@code kafka.brokers}, or, when that is empty, an {@link EmbeddedKafka} started with the routes.
 */
public class KafkaRoutes extends RouteBuilder {

    private static final String HEADERS = "headerFilterStrategy=#rtspKafkaHeaders&headerSerializer=#rtspKafkaHeaders";
    private static final String BIG = "&maxRequestSize=" + EmbeddedKafka.MAX_MESSAGE_BYTES
            + "&valueSerializer=org.apache.kafka.common.serialization.ByteArraySerializer";
    private static final String BIG_FETCH = "&maxPartitionFetchBytes=" + EmbeddedKafka.MAX_MESSAGE_BYTES
            + "&fetchMaxBytes=" + EmbeddedKafka.MAX_MESSAGE_BYTES
            + "&valueDeserializer=org.apache.kafka.common.serialization.ByteArrayDeserializer";

    private final Map<String, Boolean> started = new ConcurrentHashMap<>();

    @Override
    public void configure() throws Exception {
        String brokers = getContext().getPropertiesComponent().resolveProperty("kafka.brokers").orElse("").trim();
        if (brokers.isEmpty()) {
            EmbeddedKafka broker = new EmbeddedKafka(0);
            broker.start(); // now: the routes need its address
            getContext().addService(broker, true, true);
            brokers = broker.bootstrapServers();
        }
        bindToRegistry("rtspKafkaHeaders", new RtspKafkaHeaders());
        String kafka = "?brokers=" + brokers + "&" + HEADERS;
        boolean segments = Boolean.parseBoolean(getContext().resolvePropertyPlaceholders("{{kafka.segments:true}}"));
        List<Camera> cameras = Cameras.resolve(getContext());
        for (Camera camera : cameras) {
            from(camera.endpoint(""))
                    .routeId("kafka-frames-" + camera.name())
                    .setHeader(KafkaConstants.KEY, constant(camera.name()))
                    .to("kafka:{{kafka.framesTopic:camera-frames}}" + kafka + BIG + "&lingerMs=5");
            if (segments) {
                from(camera.endpoint("output=fmp4&segmentDuration={{kafka.segmentDuration:10000}}"))
                        .routeId("kafka-segments-" + camera.name())
                        .setHeader(KafkaConstants.KEY, constant(camera.name()))
                        .to("kafka:{{kafka.segmentsTopic:camera-segments}}" + kafka + BIG)
                        .log("segment ${header.CamelRtspSegmentSequence} of " + camera.name() + " sent to Kafka");
            }
        }
        if (!Boolean.parseBoolean(getContext().resolvePropertyPlaceholders("{{kafka.rebuild:true}}"))) {
            return;
        }
        String consumer = kafka.replace("headerSerializer", "headerDeserializer") + BIG_FETCH
                + "&autoOffsetReset=earliest";
        from("kafka:{{kafka.framesTopic:camera-frames}}" + consumer + "&groupId={{kafka.groupId:rtsp-rebuild}}-frames")
                .routeId("kafka-rebuild-frames")
                .filter(e -> firstKeyFrameSeen(e.getMessage()))
                .process(e -> e.getMessage().setHeader(Exchange.FILE_NAME, e.getMessage().getHeader(KafkaConstants.KEY)
                        + "." + e.getMessage().getHeader(RtspConstants.CODEC, String.class).toLowerCase()))
                .to("file:{{kafka.outputDir:recordings/kafka-rebuilt}}?fileExist=Append");
        if (segments) {
            from("kafka:{{kafka.segmentsTopic:camera-segments}}" + consumer
                    + "&groupId={{kafka.groupId:rtsp-rebuild}}-segments")
                    .routeId("kafka-rebuild-segments")
                    .process(e -> e.getMessage().setHeader(Exchange.FILE_NAME, String.format("%s/segment-%08d.mp4",
                            e.getMessage().getHeader(KafkaConstants.KEY),
                            Long.parseLong(e.getMessage().getHeader(RtspConstants.SEGMENT_SEQUENCE, String.class)))))
                    .to("file:{{kafka.outputDir:recordings/kafka-rebuilt}}?tempFileName=${file:onlyname}.part")
                    .log("segment ${header.CamelRtspSegmentSequence} written to ${header.CamelFileNameProduced}");
        }
    }

    /**
     * Whether a frame from the frames topic goes into its camera's elementary stream: H.264/H.265 video frames, from
     * the camera's first key frame on (a decoder needs the parameter sets the key frame carries).
     */
    private boolean firstKeyFrameSeen(Message m) {
        String codec = m.getHeader(RtspConstants.CODEC, String.class);
        if (!"H264".equals(codec) && !"H265".equals(codec)) {
            return false;
        }
        String camera = m.getHeader(KafkaConstants.KEY, String.class) + "/" + codec;
        if (started.containsKey(camera)) {
            return true;
        }
        if (Boolean.parseBoolean(m.getHeader(RtspConstants.KEY_FRAME, String.class))) {
            started.put(camera, Boolean.TRUE);
            return true;
        }
        return false;
    }
}
