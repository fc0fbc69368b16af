package io.github.camelrtsp.headers;

import static io.github.camelrtsp.headers.CorpusHeaders.header;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

class AuthenticateHeaderTest {

    /** {@code longse_unauthorized.txt}: Digest without qop. */
    @Test
    void digestWithoutQop() {
        AuthenticateHeader a = AuthenticateHeader.parse(header("longse_unauthorized.txt", "WWW-Authenticate"));
        assertTrue(a.isScheme("digest"));
        assertEquals("Digest", a.scheme());
        assertEquals("Surveillance Server", a.param("realm"));
        assertEquals("98481030", a.param("NONCE"));
        assertNull(a.param("qop"));
        assertNull(a.param("algorithm"));
    }

    @Test
    void rfc7616Challenge() {
        AuthenticateHeader a = AuthenticateHeader.parse("Digest realm=\"http-auth@example.org\","
                + " qop=\"auth, auth-int\", algorithm=SHA-256,"
                + " nonce=\"7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v\","
                + " opaque=\"FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS\"");
        assertEquals("http-auth@example.org", a.param("realm"));
        assertEquals("auth, auth-int", a.param("qop"));
        assertEquals("SHA-256", a.param("algorithm"));
        assertEquals("7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v", a.param("nonce"));
        assertEquals("FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS", a.param("opaque"));
    }

    @Test
    void escapesCommasInQuotesAndUnquotedTokens() {
        AuthenticateHeader a = AuthenticateHeader.parse(
                "Digest realm=\"a \\\"quoted\\\" realm, with comma\", stale=TRUE,nonce=abc==,algorithm = MD5");
        assertEquals("a \"quoted\" realm, with comma", a.param("realm"));
        assertEquals("TRUE", a.param("stale"));
        assertEquals("abc==", a.param("nonce"));
        assertEquals("MD5", a.param("algorithm"));
    }

    @Test
    void missingCommasBetweenParametersAreTolerated() {
        AuthenticateHeader a = AuthenticateHeader.parse("Digest realm=\"r\" nonce=\"n\"  qop=\"auth\"");
        assertEquals("r", a.param("realm"));
        assertEquals("n", a.param("nonce"));
        assertEquals("auth", a.param("qop"));
    }

    @Test
    void severalChallengesInOneValue() {
        List<AuthenticateHeader> all = AuthenticateHeader.parseAll(
                "Digest realm=\"r\", nonce=\"n\", Basic realm=\"b\", Negotiate abc==, NTLM");
        assertEquals(4, all.size());
        assertEquals("n", all.get(0).param("nonce"));
        assertTrue(all.get(1).isScheme("BASIC"));
        assertEquals("b", all.get(1).param("realm"));
        assertEquals("abc==", all.get(2).token68());
        assertEquals("NTLM", all.get(3).scheme());
        assertTrue(all.get(3).params().isEmpty());
    }

    @Test
    void unterminatedQuoteTakesTheRest() {
        assertEquals("abc, def", AuthenticateHeader.parse("Basic realm=\"abc, def").param("realm"));
    }

    @Test
    void emptyValueIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> AuthenticateHeader.parse("  "));
        assertThrows(IllegalArgumentException.class, () -> AuthenticateHeader.parse("realm=\"x\""));
    }

    @Test
    void toStringIsWireForm() {
        String v = "Digest realm=\"a \\\"b\\\"\", nonce=\"n\", algorithm=MD5, stale=FALSE";
        assertEquals(v, AuthenticateHeader.parse(v).toString());
    }
}
