package io.github.camelrtsp;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;

import io.github.camelrtsp.client.RtspControlSession;
import io.github.camelrtsp.client.RtspStatusException;
import io.github.camelrtsp.client.RtspUrls;
import io.github.camelrtsp.message.RtspHeaders;
import io.github.camelrtsp.message.RtspResponse;
import io.github.camelrtsp.sdp.ControlUrl;
import org.apache.camel.AsyncCallback;
import org.apache.camel.Consumer;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Route;
import org.apache.camel.spi.HeaderFilterStrategy;
import org.apache.camel.support.DefaultAsyncProducer;
import org.apache.camel.support.DefaultHeaderFilterStrategy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends one RTSP request per exchange: the method of header {@link RtspConstants#METHOD} (or option {@code method})
 * to the endpoint URL (or header {@link RtspConstants#REQUEST_URI}), with the message's non-Camel headers as request
 * headers and, for ANNOUNCE, GET_PARAMETER and SET_PARAMETER, the body. The connection, CSeq, authentication and
 * Session are the endpoint's, kept across exchanges, so a route can SETUP, PLAY, PAUSE and TEARDOWN in turn. The
 * answer becomes the body (text), {@link RtspConstants#STATUS_CODE}, {@link RtspConstants#REASON_PHRASE} and one
 * header per RTSP header. With option or header {@code consumerRouteId}, PLAY and PAUSE act on the session of that
 * route's rtsp consumer instead.
 * <p>
 * Asynchronous: the exchange continues on a thread of the component's delivery pool, never on a network thread.
 */
public class RtspProducer extends DefaultAsyncProducer {

    private static final Logger LOG = LoggerFactory.getLogger(RtspProducer.class);
    /** Exchange property: the RTSP headers of the answers so far, so they are not sent back with the next request. */
    static final String RESPONSE_HEADERS_PROPERTY = "CamelRtspResponseHeaders";
    /** Exchange property: the body of the last answer, so it is not sent back as the next request's body. */
    static final String RESPONSE_BODY_PROPERTY = "CamelRtspResponseBody";
    /** Methods whose request carries the message body. */
    private static final Set<String> BODY_METHODS = Set.of("ANNOUNCE", "GET_PARAMETER", "SET_PARAMETER");
    /** Headers the connection writes itself, or that only answers carry: never copied from the message. */
    private static final Set<String> SKIPPED = Set.of("cseq", "content-length", "public", "server", "date",
            "rtp-info", "content-base", "content-location", "www-authenticate", "unsupported", "allow", "location",
            "expires", "last-modified", "breadcrumbid", "authorization");

    private final RtspEndpoint endpoint;
    private final HeaderFilterStrategy headerFilter;

    /** A producer of the endpoint. */
    public RtspProducer(RtspEndpoint endpoint) {
        super(endpoint);
        this.endpoint = endpoint;
        HeaderFilterStrategy configured = endpoint.getConfiguration().getHeaderFilterStrategy();
        if (configured != null) {
            this.headerFilter = configured;
        } else {
            DefaultHeaderFilterStrategy filter = new DefaultHeaderFilterStrategy();
            filter.setOutFilterStartsWith(DefaultHeaderFilterStrategy.CAMEL_FILTER_STARTS_WITH);
            filter.setLowerCase(true);
            this.headerFilter = filter;
        }
    }

    @Override
    public RtspEndpoint getEndpoint() {
        return endpoint;
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        RtspConfiguration cfg = endpoint.getConfiguration();
        if (cfg.getMethod() != null) {
            RtspConfiguration.checkMethod(cfg.getMethod());
        }
    }

    @Override
    public boolean process(Exchange exchange, AsyncCallback callback) {
        CompletableFuture<RtspResponse> answer;
        String method;
        String url;
        try {
            Message in = exchange.getIn();
            RtspConfiguration cfg = endpoint.getConfiguration();
            String m = in.getHeader(RtspConstants.METHOD, String.class);
            if (m == null) {
                m = cfg.getMethod();
            }
            if (m == null) {
                throw new IllegalArgumentException("No RTSP method: set the header " + RtspConstants.METHOD
                                                   + " or the option method of " + endpoint.sanitizedUri());
            }
            method = RtspConfiguration.checkMethod(m);
            String routeId = in.getHeader(RtspConstants.CONSUMER_ROUTE_ID, String.class);
            if (routeId == null) {
                routeId = cfg.getConsumerRouteId();
            }
            if (routeId != null) {
                url = "consumer of route " + routeId;
                answer = controlConsumer(routeId, method, requestHeaders(exchange));
            } else {
                RtspControlSession session = endpoint.controlSession();
                url = requestUrl(session, in.getHeader(RtspConstants.REQUEST_URI, String.class));
                Map<String, String> headers = requestHeaders(exchange);
                byte[] body = BODY_METHODS.contains(method) ? requestBody(exchange) : null;
                LOG.debug("{} {} with headers {}", method, RtspUrls.sanitize(url), headers.keySet());
                answer = session.request(method, url, h -> headers.forEach(h::set), body);
            }
        } catch (Exception e) {
            exchange.setException(e);
            callback.done(true);
            return true;
        }
        Executor executor = endpoint.getComponent().deliveryExecutor();
        String shownUrl = RtspUrls.sanitize(url);
        answer.whenCompleteAsync((resp, error) -> {
            try {
                if (error != null) {
                    Throwable cause = error instanceof CompletionException && error.getCause() != null
                            ? error.getCause() : error;
                    exchange.setException(cause);
                } else {
                    onAnswer(exchange, method, shownUrl, resp);
                }
            } catch (RuntimeException e) {
                exchange.setException(e);
            } finally {
                callback.done(false);
            }
        }, executor);
        return false;
    }

    private void onAnswer(Exchange exchange, String method, String shownUrl, RtspResponse resp) {
        Message msg = exchange.getMessage();
        // merged over the answers this exchange got, as their headers stay on the message
        @SuppressWarnings("unchecked")
        Map<String, String> earlier = exchange.getProperty(RESPONSE_HEADERS_PROPERTY, Map.class);
        Map<String, String> seen = earlier != null ? new HashMap<>(earlier) : new HashMap<>();
        RtspHeaders h = resp.headers();
        h.forEach((name, value) -> {
            List<String> all = h.getAll(name);
            msg.setHeader(name, all.size() > 1 ? all : value);
            seen.put(name.toLowerCase(Locale.ROOT), value);
        });
        msg.setHeader(RtspConstants.STATUS_CODE, resp.statusCode());
        msg.setHeader(RtspConstants.REASON_PHRASE, resp.reasonPhrase());
        RtspControlSession session = endpoint.existingControlSession();
        if (session != null && session.sessionId() != null) {
            msg.setHeader(RtspConstants.SESSION_ID, session.sessionId());
        }
        String body = resp.body().length > 0 ? resp.bodyAsString() : null;
        msg.setBody(body);
        exchange.setProperty(RESPONSE_HEADERS_PROPERTY, seen);
        exchange.setProperty(RESPONSE_BODY_PROPERTY, body);
        if (!resp.isSuccess() && endpoint.getConfiguration().isThrowExceptionOnFailure()) {
            exchange.setException(new RtspStatusException(method, shownUrl, resp.statusCode(), resp.reasonPhrase()));
        }
    }

    /** The request URL: the endpoint URL, or the header's, absolute or relative to the session's base URL. */
    private static String requestUrl(RtspControlSession session, String header) {
        if (header == null || header.isBlank()) {
            return session.url();
        }
        String value = header.trim();
        if ("*".equals(value)) {
            return value;
        }
        String url = ControlUrl.isAbsolute(value) ? value : ControlUrl.resolve(session.baseUrl(), null, value);
        return stripUserInfo(url);
    }

    /** Removes user info (credentials go through authentication, never in the request line). */
    static String stripUserInfo(String url) {
        int scheme = url.indexOf("://");
        if (scheme < 0) {
            return url;
        }
        int start = scheme + 3;
        int end = start;
        while (end < url.length() && "/?#".indexOf(url.charAt(end)) < 0) {
            end++;
        }
        int at = url.lastIndexOf('@', end - 1);
        return at >= start ? url.substring(0, start) + url.substring(at + 1) : url;
    }

    /**
     * The message headers that become request headers: not Camel's own, not ones the connection writes, and not
     * ones left unchanged from an earlier answer on this exchange.
     */
    private Map<String, String> requestHeaders(Exchange exchange) {
        @SuppressWarnings("unchecked")
        Map<String, String> previous = exchange.getProperty(RESPONSE_HEADERS_PROPERTY, Map.class);
        Map<String, String> headers = new java.util.LinkedHashMap<>();
        for (Map.Entry<String, Object> e : exchange.getIn().getHeaders().entrySet()) {
            String name = e.getKey();
            Object value = e.getValue();
            String lower = name.toLowerCase(Locale.ROOT);
            if (value == null || SKIPPED.contains(lower)
                    || headerFilter.applyFilterToCamelHeaders(name, value, exchange)) {
                continue;
            }
            String text = exchange.getContext().getTypeConverter().convertTo(String.class, exchange, value);
            if (text == null || text.indexOf('\r') >= 0 || text.indexOf('\n') >= 0) {
                throw new IllegalArgumentException("Header " + name + " cannot be sent in an RTSP request: its value"
                                                   + " is not a single line of text");
            }
            if (previous != null && text.equals(previous.get(lower))) {
                continue; // left over from the previous answer
            }
            headers.put(name, text);
        }
        return headers;
    }

    private static byte[] requestBody(Exchange exchange) {
        Object body = exchange.getIn().getBody();
        if (body == null || body == exchange.getProperty(RESPONSE_BODY_PROPERTY)) {
            return null;
        }
        if (body instanceof byte[] bytes) {
            return bytes;
        }
        if (body instanceof String text) {
            return text.getBytes(StandardCharsets.UTF_8);
        }
        byte[] bytes = exchange.getContext().getTypeConverter().convertTo(byte[].class, exchange, body);
        if (bytes == null) {
            throw new IllegalArgumentException("The body of type " + body.getClass().getName()
                                               + " cannot be sent as an RTSP request body: use a String or byte[]");
        }
        return bytes;
    }

    /** PLAY or PAUSE on the session of a running rtsp consumer. */
    private CompletableFuture<RtspResponse> controlConsumer(String routeId, String method,
                                                            Map<String, String> headers) {
        Map<String, String> h = new java.util.TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        h.putAll(headers);
        Route route = endpoint.getCamelContext().getRoute(routeId);
        if (route == null) {
            throw new IllegalArgumentException("No route with id '" + routeId + "' to control");
        }
        Consumer consumer = route.getConsumer();
        if (!(consumer instanceof RtspConsumer rtsp)) {
            throw new IllegalArgumentException("Route '" + routeId + "' does not start with an rtsp consumer");
        }
        switch (method) {
            case "PAUSE":
                return rtsp.pause();
            case "PLAY":
                String range = h.get("Range");
                if (range != null) {
                    RtspConfiguration.checkRange(range, "Header Range");
                }
                return rtsp.play(range, h.get("Scale"), h.get("Speed"));
            default:
                throw new IllegalArgumentException("Only PLAY and PAUSE can control the consumer of route '" + routeId
                                                   + "', not " + method);
        }
    }
}
