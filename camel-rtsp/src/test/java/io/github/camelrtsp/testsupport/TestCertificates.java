package io.github.camelrtsp.testsupport;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import io.github.camelrtsp.testsupport.ChildProcesses.ProcessResult;

/**
 * A throw-away self-signed server certificate for RTSPS tests, made at test time with the openssl CLI (EC P-256,
 * valid 2 days, CN=localhost, SAN IP:127.0.0.1 and DNS:localhost), plus a PKCS12 trust store holding only that
 * certificate. Every {@link #create()} makes a new key pair, so two instances never trust each other.
 */
public final class TestCertificates {

    private static final Duration OPENSSL_TIMEOUT = Duration.ofSeconds(30);

    private final Path certPem;
    private final Path keyPem;
    private final Path trustStore;
    private final String trustStorePassword;
    private final X509Certificate certificate;

    private TestCertificates(Path certPem, Path keyPem, Path trustStore, String trustStorePassword,
                             X509Certificate certificate) {
        this.certPem = certPem;
        this.keyPem = keyPem;
        this.trustStore = trustStore;
        this.trustStorePassword = trustStorePassword;
        this.certificate = certificate;
    }

    /**
     * Generates a new certificate, key and trust store in a new temporary directory (deleted when the JVM exits).
     *
     * @throws IllegalStateException if openssl is missing (Debian package {@code openssl}) or fails
     */
    public static TestCertificates create() {
        try {
            Path dir = Files.createTempDirectory("camelrtsp-tls-");
            dir.toFile().deleteOnExit();
            Path cert = dir.resolve("server-cert.pem");
            Path key = dir.resolve("server-key.pem");
            Path store = dir.resolve("truststore.p12");
            for (Path p : List.of(cert, key, store)) {
                p.toFile().deleteOnExit();
            }
            ProcessResult result = runOpenssl(List.of(
                    "openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
                    "-nodes", "-days", "2", "-subj", "/CN=localhost",
                    "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost",
                    "-keyout", key.toString(), "-out", cert.toString()));
            if (result.exitCode() != 0 || !Files.isRegularFile(cert) || !Files.isRegularFile(key)) {
                throw new IllegalStateException("openssl could not make a test certificate (exit "
                        + result.exitCode() + (result.timedOut() ? ", timed out" : "") + "): " + result.stderr());
            }
            X509Certificate x509;
            try (InputStream in = Files.newInputStream(cert)) {
                x509 = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
            }
            byte[] secret = new byte[12];
            new SecureRandom().nextBytes(secret);
            String password = "trust-" + HexFormat.of().formatHex(secret);
            KeyStore keyStore = KeyStore.getInstance("PKCS12");
            keyStore.load(null, null);
            keyStore.setCertificateEntry("camelrtsp-test-server", x509);
            try (OutputStream out = Files.newOutputStream(store)) {
                keyStore.store(out, password.toCharArray());
            }
            return new TestCertificates(cert, key, store, password, x509);
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot create test certificates: " + e.getMessage(), e);
        }
    }

    private static ProcessResult runOpenssl(List<String> command) {
        try {
            return ChildProcesses.run(OPENSSL_TIMEOUT, command);
        } catch (IllegalStateException e) {
            throw new IllegalStateException(e.getMessage() + " (install the Debian package openssl)", e);
        }
    }

    /** The server certificate, PEM. */
    public Path certPem() {
        return certPem;
    }

    /** The server's private key, unencrypted PEM. */
    public Path keyPem() {
        return keyPem;
    }

    /** A PKCS12 trust store holding only {@link #certificate()}. */
    public Path trustStore() {
        return trustStore;
    }

    /** The password of {@link #trustStore()}. */
    public String trustStorePassword() {
        return trustStorePassword;
    }

    /** The server certificate. */
    public X509Certificate certificate() {
        return certificate;
    }

    /** A TLS client context that trusts {@link #certificate()} and nothing else. */
    public SSLContext clientSslContext() {
        try (InputStream in = Files.newInputStream(trustStore)) {
            KeyStore keyStore = KeyStore.getInstance("PKCS12");
            keyStore.load(in, trustStorePassword.toCharArray());
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(keyStore);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, tmf.getTrustManagers(), new SecureRandom());
            return context;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot build a TLS context from " + trustStore + ": " + e.getMessage(), e);
        }
    }
}
