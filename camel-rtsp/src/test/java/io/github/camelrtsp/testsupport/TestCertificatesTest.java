package io.github.camelrtsp.testsupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.KeyStore;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

import org.junit.jupiter.api.Test;

class TestCertificatesTest {

    @Test
    void makesASelfSignedLocalhostCertificateWithKeyAndTrustStore() throws Exception {
        TestCertificates certs = TestCertificates.create();
        X509Certificate cert = certs.certificate();
        assertEquals(cert.getSubjectX500Principal(), cert.getIssuerX500Principal());
        assertTrue(cert.getSubjectX500Principal().getName().contains("CN=localhost"));
        cert.checkValidity();

        Set<List<?>> sans = new HashSet<>();
        Collection<List<?>> names = cert.getSubjectAlternativeNames();
        sans.addAll(names);
        assertTrue(sans.contains(List.of(7, "127.0.0.1")), "IP SAN missing: " + sans);
        assertTrue(sans.contains(List.of(2, "localhost")), "DNS SAN missing: " + sans);

        assertTrue(Files.readString(certs.keyPem(), StandardCharsets.US_ASCII).contains("-----BEGIN PRIVATE KEY-----"));
        assertTrue(Files.readString(certs.certPem(), StandardCharsets.US_ASCII).contains("-----BEGIN CERTIFICATE-----"));

        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(certs.trustStore())) {
            store.load(in, certs.trustStorePassword().toCharArray());
        }
        assertEquals(1, store.size());
        String alias = store.aliases().nextElement();
        assertTrue(store.isCertificateEntry(alias));
        assertEquals(cert, store.getCertificate(alias));
    }

    @Test
    void twoCertificatesDoNotTrustEachOther() throws Exception {
        TestCertificates a = TestCertificates.create();
        TestCertificates b = TestCertificates.create();
        assertNotEquals(a.certificate(), b.certificate());
        assertNotEquals(a.certificate().getPublicKey(), b.certificate().getPublicKey());
        assertNotEquals(a.trustStore(), b.trustStore());

        X509TrustManager trustsA = trustManager(a);
        trustsA.checkServerTrusted(new X509Certificate[] {a.certificate()}, "ECDHE_ECDSA");
        assertThrows(CertificateException.class,
                () -> trustsA.checkServerTrusted(new X509Certificate[] {b.certificate()}, "ECDHE_ECDSA"));
    }

    private static X509TrustManager trustManager(TestCertificates certs) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(certs.trustStore())) {
            store.load(in, certs.trustStorePassword().toCharArray());
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(store);
        return (X509TrustManager) tmf.getTrustManagers()[0];
    }
}
