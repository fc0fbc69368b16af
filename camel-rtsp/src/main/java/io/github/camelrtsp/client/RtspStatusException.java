package io.github.camelrtsp.client;

/** The server answered a request with a status that is not 2xx. */
public class RtspStatusException extends RtspClientException {

    private static final long serialVersionUID = 1L;

    private final int statusCode;
    private final String reasonPhrase;
    private final String method;

    public RtspStatusException(String method, String url, int statusCode, String reasonPhrase) {
        super(method + " " + url + " failed: " + statusCode + " " + (reasonPhrase == null ? "" : reasonPhrase));
        this.statusCode = statusCode;
        this.reasonPhrase = reasonPhrase;
        this.method = method;
    }

    public int statusCode() {
        return statusCode;
    }

    public String reasonPhrase() {
        return reasonPhrase;
    }

    public String method() {
        return method;
    }
}
