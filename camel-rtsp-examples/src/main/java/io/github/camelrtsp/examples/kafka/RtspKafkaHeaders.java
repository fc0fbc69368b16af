package io.github.camelrtsp.examples.kafka;

import java.nio.charset.StandardCharsets;

import io.github.camelrtsp.RtspConstants;
import org.apache.camel.Exchange;
import org.apache.camel.component.kafka.serde.KafkaHeaderDeserializer;
import org.apache.camel.component.kafka.serde.KafkaHeaderSerializer;
import org.apache.camel.support.DefaultHeaderFilterStrategy;

/**
 * Carries the RTSP headers ({@code CamelRtsp*}) over Kafka: as a header filter strategy it lets them through while
 * keeping Camel's other internal headers out of the records, and as a header serializer it writes every value as its
 * text form (numbers, booleans, Instant and Duration included), and as a header deserializer it reads them back as
 * text, except the binary {@code CamelRtspCodecConfig}, which stays a byte array.
 */
public final class RtspKafkaHeaders extends DefaultHeaderFilterStrategy
        implements KafkaHeaderSerializer, KafkaHeaderDeserializer {

    @Override
    public boolean applyFilterToCamelHeaders(String name, Object value, Exchange exchange) {
        if (name.startsWith("CamelRtsp")) {
            return false;
        }
        return name.regionMatches(true, 0, "camel", 0, 5) || name.startsWith("org.apache.camel")
                || name.startsWith("kafka.");
    }

    @Override
    public boolean applyFilterToExternalHeaders(String name, Object value, Exchange exchange) {
        return false;
    }

    @Override
    public byte[] serialize(String key, Object value) {
        if (value == null) {
            return null;
        }
        if (value instanceof byte[] bytes) {
            return bytes;
        }
        return value.toString().getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public Object deserialize(String key, byte[] value) {
        if (value == null || RtspConstants.CODEC_CONFIG.equals(key)) {
            return value;
        }
        return new String(value, StandardCharsets.UTF_8);
    }
}
