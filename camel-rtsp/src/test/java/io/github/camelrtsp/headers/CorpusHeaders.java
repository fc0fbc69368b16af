package io.github.camelrtsp.headers;

import io.github.camelrtsp.message.Corpus;
import io.github.camelrtsp.message.RtspMessages;
import io.github.camelrtsp.message.RtspResponse;

/** Reads one header of a corpus response, failing the test if it is missing. */
final class CorpusHeaders {

    private CorpusHeaders() {
    }

    static String header(String file, String name) {
        RtspResponse r = RtspMessages.parseResponse(Corpus.response(file));
        String v = r.headers().get(name);
        if (v == null) {
            throw new AssertionError(file + " has no " + name + " header");
        }
        return v;
    }
}
