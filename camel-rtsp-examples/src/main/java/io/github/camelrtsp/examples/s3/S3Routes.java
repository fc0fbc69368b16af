package io.github.camelrtsp.examples.s3;

import java.time.Duration;
import java.time.ZoneId;

import io.github.camelrtsp.RtspConstants;
import io.github.camelrtsp.examples.Cameras;
import io.github.camelrtsp.examples.Cameras.Camera;
import io.github.camelrtsp.examples.SegmentPaths;
import org.apache.camel.Message;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.aws2.s3.AWS2S3Constants;

/**
 * Archives every camera of {@link Cameras} to S3: each fMP4 segment is uploaded with camel-aws2-s3 to bucket
 * {@code s3.bucket} under {@code <camera>/<yyyy-MM-dd>/<HH-mm-ss>.mp4}, then a small claim-check event (bucket, key,
 * size, duration, camera, start; JSON) goes to endpoint {@code s3.events} (the log by default; a Kafka topic or queue
 * in a real system). The S3 endpoint is {@code s3.endpoint} (any S3-compatible server; empty uses AWS with the
 * default credentials), or, when {@code s3.endpoint} is {@code mock}, an {@link S3MockServer} started with the routes.
 */
public class S3Routes extends RouteBuilder {

    @Override
    public void configure() throws Exception {
        String endpoint = getContext().resolvePropertyPlaceholders("{{s3.endpoint:mock}}").trim();
        String bucket = getContext().resolvePropertyPlaceholders("{{s3.bucket:recordings}}");
        if ("mock".equals(endpoint)) {
            S3MockServer mock = new S3MockServer(S3MockServer.locateJar(), bucket);
            mock.start(); // now: the routes need its address
            getContext().addService(mock, true, true);
            endpoint = mock.endpoint();
        }
        String s3 = "aws2-s3://" + bucket + "?autoCreateBucket=true&region={{s3.region:us-east-1}}";
        if (endpoint.isEmpty()) {
            s3 += "&useDefaultCredentialsProvider=true";
        } else {
            s3 += "&overrideEndpoint=true&forcePathStyle=true&uriEndpointOverride=" + endpoint
                    + "&accessKey=RAW({{s3.accessKey:any}})&secretKey=RAW({{s3.secretKey:any}})";
        }
        String events = getContext().getPropertiesComponent().resolveProperty("s3.events")
                .orElse("log:s3-segments?showExchangePattern=false&showBodyType=false");
        ZoneId zone = ZoneId.of(getContext().resolvePropertyPlaceholders("{{s3.zone:" + ZoneId.systemDefault() + "}}"));
        for (Camera camera : Cameras.resolve(getContext())) {
            from(camera.endpoint("output=fmp4&segmentDuration={{s3.segmentDuration:10000}}"))
                    .routeId("s3-archive-" + camera.name())
                    .process(e -> {
                        Message m = e.getMessage();
                        m.setHeader(AWS2S3Constants.KEY, SegmentPaths.of(camera.name(), m, zone));
                        m.setHeader(AWS2S3Constants.CONTENT_TYPE, "video/mp4");
                        m.setHeader(AWS2S3Constants.CONTENT_LENGTH, (long) m.getBody(byte[].class).length);
                    })
                    .to(s3)
                    .process(e -> claimCheck(e.getMessage(), bucket, camera))
                    .to(events);
        }
    }

    /** Replaces the uploaded segment by its claim check: a one-line JSON object naming where it is. */
    static void claimCheck(Message m, String bucket, Camera camera) {
        Duration d = m.getHeader(RtspConstants.SEGMENT_DURATION, Duration.class);
        String json = "{\"camera\":\"" + camera.name() + "\",\"bucket\":\"" + bucket + "\",\"key\":\""
                + m.getHeader(AWS2S3Constants.KEY, String.class) + "\",\"size\":"
                + m.getHeader(AWS2S3Constants.CONTENT_LENGTH, Long.class) + ",\"durationMs\":"
                + (d != null ? d.toMillis() : 0) + ",\"start\":\"" + m.getHeader(RtspConstants.SEGMENT_START)
                + "\",\"sequence\":" + m.getHeader(RtspConstants.SEGMENT_SEQUENCE) + "}";
        m.setBody(json);
    }
}
