package io.github.camelrtsp;

import org.apache.camel.Category;
import org.apache.camel.Consumer;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.spi.EndpointServiceLocation;
import org.apache.camel.spi.Metadata;
import org.apache.camel.spi.UriEndpoint;
import org.apache.camel.spi.UriParam;
import org.apache.camel.spi.UriPath;
import org.apache.camel.support.DefaultEndpoint;

/**
 * A path of an RTSP server embedded in the route. As a consumer it takes what RTSP clients publish into the path with
 * ANNOUNCE and RECORD (cameras and encoders that push, ffmpeg, GStreamer) and routes it as frames or packets, with the
 * same body and headers as the rtsp consumer. As a producer it serves the frames routed to it on the path, for RTSP
 * clients to play (restreaming: camera, route, viewers).
 */
@UriEndpoint(firstVersion = "0.2.0", scheme = "rtsp-server", title = "RTSP Server", syntax = "rtsp-server:path",
             category = { Category.IOT, Category.NETWORKING }, headersClass = RtspConstants.class)
public class RtspServerEndpoint extends DefaultEndpoint implements EndpointServiceLocation {

    @UriPath(description = "The path of the stream on the embedded server, for example ingest or cams/door; RTSP"
                           + " clients use rtsp://host:port/path.")
    @Metadata(required = true)
    private final String path;
    @UriParam
    private RtspServerConfiguration configuration;

    RtspServerEndpoint(String endpointUri, RtspServerComponent component, RtspServerConfiguration configuration,
                       String path) {
        super(endpointUri, component);
        this.configuration = configuration;
        String p = path;
        while (p.startsWith("/")) {
            p = p.substring(1);
        }
        this.path = p;
        if (!("/" + p).matches("/[\\x21-\\x7E&&[^?#]]+")) {
            throw new IllegalArgumentException("rtsp-server path must be printable ASCII without spaces, '?' or '#'");
        }
    }

    @Override
    public RtspServerComponent getComponent() {
        return (RtspServerComponent) super.getComponent();
    }

    @Override
    public Consumer createConsumer(Processor processor) throws Exception {
        Consumer consumer = new RtspServerConsumer(this, processor);
        configureConsumer(consumer);
        return consumer;
    }

    @Override
    public Producer createProducer() throws Exception {
        return new RtspServerProducer(this);
    }

    /** The URL players and publishers use for this path (a wildcard host shown as 127.0.0.1). */
    public String url() {
        String host = configuration.getHost();
        if (host.equals("0.0.0.0") || host.equals("::")) {
            host = "127.0.0.1";
        } else if (host.indexOf(':') >= 0) {
            host = "[" + host + "]";
        }
        return "rtsp://" + host + ":" + configuration.getPort() + "/" + path;
    }

    @Override
    public String getServiceUrl() {
        return configuration.getHost() + ":" + configuration.getPort();
    }

    @Override
    public String getServiceProtocol() {
        return "rtsp";
    }

    /** The path of the stream, without a leading slash. */
    public String getPath() {
        return path;
    }

    /** This endpoint's options. */
    public RtspServerConfiguration getConfiguration() {
        return configuration;
    }

    /** The endpoint's options. */
    public void setConfiguration(RtspServerConfiguration configuration) {
        this.configuration = configuration;
    }
}
