package dev.lookout.testing;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A CA with server certificates for 127.0.0.1 and client certificates, as Docker's and Kubernetes' TLS setups
 * have them, made in memory with BouncyCastle (docker-java brings it), so that no openssl is needed.
 */
public final class TestCertificates {
    private static final AtomicLong SERIAL = new AtomicLong(System.currentTimeMillis());

    private final KeyPair caKey;
    private final X509Certificate ca;

    private TestCertificates(String name) {
        this.caKey = rsa();
        this.ca = sign(new X500Name("CN=" + name), caKey, new X500Name("CN=" + name), caKey, true, null);
    }

    public static TestCertificates authority(String name) {
        return new TestCertificates(name);
    }

    /** Writes ca.pem, cert.pem and key.pem (PKCS#8, as OpenSSL 3 writes it) of a client certificate. */
    public void writeClientFolder(Path folder) {
        writeClientFolder(folder, "CN=client");
    }

    /**
     * Like {@link #writeClientFolder(Path)}, for the subject given: Kubernetes takes the user from CN and the
     * groups from O ({@code CN=admin,O=system:masters}).
     */
    public void writeClientFolder(Path folder, String subject) {
        write(folder, issue(subject, KeyPurposeId.id_kp_clientAuth));
    }

    /** Writes ca.pem, cert.pem and key.pem of a server certificate for 127.0.0.1, for a server that reads files. */
    public void writeServerFolder(Path folder) {
        write(folder, issue("CN=127.0.0.1", KeyPurposeId.id_kp_serverAuth));
    }

    /** A server context for 127.0.0.1 that requires a client certificate signed by this CA. */
    public SSLContext serverContext() {
        return context(issue("CN=127.0.0.1", KeyPurposeId.id_kp_serverAuth));
    }

    /** A client context that presents a certificate for {@code subject} and trusts servers this CA signed. */
    public SSLContext clientContext(String subject) {
        return context(issue(subject, KeyPurposeId.id_kp_clientAuth));
    }

    /** A key and the certificate this CA signed for it. */
    private record Issued(KeyPair key, X509Certificate certificate) {
    }

    private Issued issue(String subject, KeyPurposeId purpose) {
        KeyPair key = rsa();
        X509Certificate cert = sign(new X500Name(subject), key, new X500Name(ca.getSubjectX500Principal()
                .getName()), caKey, false, purpose);
        return new Issued(key, cert);
    }

    private void write(Path folder, Issued issued) {
        try {
            Files.createDirectories(folder);
            Files.writeString(folder.resolve("ca.pem"), pem(ca));
            Files.writeString(folder.resolve("cert.pem"), pem(issued.certificate()));
            Files.writeString(folder.resolve("key.pem"), pem(new JcaPKCS8Generator(issued.key().getPrivate(), null)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private SSLContext context(Issued issued) {
        try {
            KeyStore keys = KeyStore.getInstance("PKCS12");
            keys.load(null, null);
            keys.setKeyEntry("own", issued.key().getPrivate(), new char[0],
                    new X509Certificate[] {issued.certificate(), ca});
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(keys, new char[0]);
            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            trust.setCertificateEntry("ca", ca);
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static X509Certificate sign(X500Name subject, KeyPair subjectKey, X500Name issuer, KeyPair issuerKey,
                                        boolean isCa, KeyPurposeId purpose) {
        try {
            Instant now = Instant.now();
            var builder = new JcaX509v3CertificateBuilder(issuer, BigInteger.valueOf(SERIAL.incrementAndGet()),
                    Date.from(now.minus(Duration.ofMinutes(5))), Date.from(now.plus(Duration.ofDays(1))), subject,
                    subjectKey.getPublic());
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(isCa));
            if (purpose != null) {
                builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(purpose));
            }
            if (purpose == KeyPurposeId.id_kp_serverAuth) {
                builder.addExtension(Extension.subjectAlternativeName, false,
                        new GeneralNames(new GeneralName(GeneralName.iPAddress, "127.0.0.1")));
            }
            var signer = new JcaContentSignerBuilder("SHA256withRSA").build(issuerKey.getPrivate());
            return new JcaX509CertificateConverter().getCertificate(builder.build(signer));
        } catch (Exception e) {
            throw new IllegalStateException("cannot make a test certificate", e);
        }
    }

    private static KeyPair rsa() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String pem(Object object) throws IOException {
        StringWriter text = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(text)) {
            writer.writeObject(object);
        }
        return text.toString();
    }
}
