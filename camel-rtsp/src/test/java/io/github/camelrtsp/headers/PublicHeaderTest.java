package io.github.camelrtsp.headers;

import static io.github.camelrtsp.headers.CorpusHeaders.header;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

class PublicHeaderTest {

    /** {@code dahua_options.txt}. */
    @Test
    void corpusOptionsResponse() {
        Set<String> methods = PublicHeader.parse(header("dahua_options.txt", "Public"));
        assertEquals(List.of("OPTIONS", "DESCRIBE", "ANNOUNCE", "SETUP", "PLAY", "RECORD", "PAUSE", "TEARDOWN",
                "SET_PARAMETER", "GET_PARAMETER"), List.copyOf(methods));
    }

    @Test
    void lowerCaseSpacesAndEmptyItems() {
        assertEquals(List.of("OPTIONS", "DESCRIBE", "GET_PARAMETER"),
                List.copyOf(PublicHeader.parse(" options ,, describe Get_Parameter, ")));
        assertEquals(Set.of(), PublicHeader.parse(""));
    }

    @Test
    void format() {
        assertEquals("OPTIONS, DESCRIBE", PublicHeader.format(List.of("OPTIONS", "DESCRIBE")));
    }
}
