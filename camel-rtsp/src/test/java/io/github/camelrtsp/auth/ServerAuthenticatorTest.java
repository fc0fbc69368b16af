package io.github.camelrtsp.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

import io.github.camelrtsp.auth.ServerAuthenticator.Result;
import io.github.camelrtsp.headers.AuthenticateHeader;

class ServerAuthenticatorTest {

    private static final Credentials RIGHT = new Credentials("cam", "s3cret");
    private static final String URI = "rtsp://127.0.0.1:8554/live";

    private final AtomicLong now = new AtomicLong(1_000_000);
    private final ServerAuthenticator server = new ServerAuthenticator("camel-rtsp", true, true,
            Duration.ofSeconds(30), now::get);

    @Test
    void challengesOfferDigestFirstThenBasicWithoutThePassword() {
        List<String> c = server.challenges(false);
        assertEquals(2, c.size());
        AuthenticateHeader digest = AuthenticateHeader.parse(c.get(0));
        assertTrue(digest.isScheme("Digest"));
        assertEquals("camel-rtsp", digest.param("realm"));
        assertEquals("MD5", digest.param("algorithm"));
        assertEquals(40, digest.param("nonce").length());
        assertEquals(null, digest.param("stale"));
        assertTrue(AuthenticateHeader.parse(c.get(1)).isScheme("Basic"));
        assertEquals("TRUE", AuthenticateHeader.parse(server.challenges(true).get(0)).param("stale"));
        assertFalse(String.join(" ", c).contains("s3cret"));
    }

    @Test
    void ourClientsDigestAnswerIsAcceptedAndAWrongPasswordIsNot() {
        ClientAuthenticator client = ClientAuthenticator.fromChallenges(server.challenges(false), RIGHT);
        assertEquals("Digest", client.scheme());
        assertEquals(Result.OK, server.verify(client.authorization("DESCRIBE", URI), "DESCRIBE", RIGHT));
        assertEquals(Result.OK, server.verify(client.authorization("SETUP", URI + "/trackID=0"), "SETUP", RIGHT));
        assertEquals(Result.WRONG, server.verify(client.authorization("DESCRIBE", URI), "PLAY", RIGHT),
                "the method is part of the hash");
        ClientAuthenticator wrong = ClientAuthenticator.fromChallenges(server.challenges(false),
                new Credentials("cam", "guess"));
        assertEquals(Result.WRONG, server.verify(wrong.authorization("DESCRIBE", URI), "DESCRIBE", RIGHT));
        ClientAuthenticator otherUser = ClientAuthenticator.fromChallenges(server.challenges(false),
                new Credentials("admin", "s3cret"));
        assertEquals(Result.WRONG, server.verify(otherUser.authorization("DESCRIBE", URI), "DESCRIBE", RIGHT));
    }

    @Test
    void digestWithoutQopIsAccepted() {
        String nonce = AuthenticateHeader.parse(server.challenges(false).get(0)).param("nonce");
        ClientAuthenticator rfc2069 = ClientAuthenticator.fromChallenges(
                List.of("Digest realm=\"camel-rtsp\", nonce=\"" + nonce + "\""), RIGHT);
        assertEquals(Result.OK, server.verify(rfc2069.authorization("DESCRIBE", URI), "DESCRIBE", RIGHT));
    }

    @Test
    void anExpiredNonceIsStaleOnlyWithTheRightPassword() {
        List<String> challenges = server.challenges(false);
        ClientAuthenticator client = ClientAuthenticator.fromChallenges(challenges, RIGHT);
        ClientAuthenticator wrong = ClientAuthenticator.fromChallenges(challenges, new Credentials("cam", "x"));
        now.addAndGet(31_000);
        assertEquals(Result.STALE, server.verify(client.authorization("DESCRIBE", URI), "DESCRIBE", RIGHT));
        assertEquals(Result.WRONG, server.verify(wrong.authorization("DESCRIBE", URI), "DESCRIBE", RIGHT));
    }

    @Test
    void aNonceFromAnotherServerIsWrong() {
        ServerAuthenticator other = new ServerAuthenticator("camel-rtsp", true, true, Duration.ofSeconds(30),
                now::get);
        ClientAuthenticator client = ClientAuthenticator.fromChallenges(other.challenges(false), RIGHT);
        assertEquals(Result.WRONG, server.verify(client.authorization("DESCRIBE", URI), "DESCRIBE", RIGHT));
        String nonce = AuthenticateHeader.parse(server.challenges(false).get(0)).param("nonce");
        String tampered = Long.toHexString(Long.parseLong(nonce.substring(0, 15), 16) + 1) + nonce.substring(15);
        ClientAuthenticator forged = ClientAuthenticator.fromChallenges(
                List.of("Digest realm=\"camel-rtsp\", nonce=\"" + tampered + "\""), RIGHT);
        assertEquals(Result.WRONG, server.verify(forged.authorization("DESCRIBE", URI), "DESCRIBE", RIGHT));
    }

    @Test
    void basicRightWrongAndGarbage() {
        assertEquals(Result.OK, server.verify(basic("cam:s3cret"), "DESCRIBE", RIGHT));
        assertEquals(Result.WRONG, server.verify(basic("cam:s3cret2"), "DESCRIBE", RIGHT));
        assertEquals(Result.WRONG, server.verify("Basic !!!notbase64", "DESCRIBE", RIGHT));
        assertEquals(Result.MISSING, server.verify(null, "DESCRIBE", RIGHT));
        assertEquals(Result.MISSING, server.verify("Bearer abc", "DESCRIBE", RIGHT));
        assertEquals(Result.WRONG, server.verify("Digest username=\"cam\"", "DESCRIBE", RIGHT));
    }

    @Test
    void schemesNotOfferedAreNotAccepted() {
        ServerAuthenticator digestOnly = new ServerAuthenticator("r", false, true, Duration.ofSeconds(5));
        assertEquals(1, digestOnly.challenges(false).size());
        assertEquals(Result.MISSING, digestOnly.verify(basic("cam:s3cret"), "DESCRIBE", RIGHT));
        assertThrows(IllegalArgumentException.class, () -> new ServerAuthenticator("r", false, false,
                Duration.ofSeconds(5)));
        assertThrows(IllegalArgumentException.class, () -> new ServerAuthenticator("a\"b", true, false,
                Duration.ofSeconds(5)));
    }

    private static String basic(String userPass) {
        return "Basic " + Base64.getEncoder().encodeToString(userPass.getBytes(StandardCharsets.UTF_8));
    }
}
