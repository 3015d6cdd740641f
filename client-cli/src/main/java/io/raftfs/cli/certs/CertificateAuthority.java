package io.raftfs.cli.certs;

import io.raftfs.tls.NodeName;
import io.raftfs.tls.PemFiles;
import java.io.IOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509CRL;
import java.security.cert.X509CRLEntry;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.CRLNumber;
import org.bouncycastle.asn1.x509.CRLReason;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CRLConverter;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v2CRLBuilder;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A cluster's certificate authority in a directory: {@code ca.pem} (give it to every process and
 * client), {@code ca.key} (mode 600; keep it off the cluster's hosts once the certificates are
 * made) and {@code crl.pem}, the certificates it revoked (give it to every process that should
 * refuse them; {@link #revoke} rewrites it). It issues the masters' and data nodes' certificates:
 * EC P-256 keys, the node named by the SAN URI {@code raftfs://ROLE/ID} (see {@link NodeName}) and
 * also as CN with the role as OU, plus the host's names and addresses for clients' host name
 * checks.
 *
 * <pre>{@code
 * CertificateAuthority ca = CertificateAuthority.create(dir, Duration.ofDays(3650));
 * ca.issue(new NodeName(NodeName.Role.MASTER, "m1"), List.of("localhost", "127.0.0.1"), out, Duration.ofDays(365));
 * }</pre>
 */
public final class CertificateAuthority {
  public static final String CERT_FILE = "ca.pem";
  public static final String KEY_FILE = "ca.key";
  public static final String CRL_FILE = "crl.pem";

  private static final String SIGNATURE = "SHA256withECDSA";
  private static final SecureRandom RANDOM = new SecureRandom();

  private final X509Certificate certificate;
  private final PrivateKey key;
  private final Path dir;

  private CertificateAuthority(X509Certificate certificate, PrivateKey key, Path dir) {
    this.certificate = certificate;
    this.key = key;
    this.dir = dir;
  }

  /**
   * Makes a new CA in {@code dir} (created if needed), valid for {@code validity}.
   *
   * @throws java.nio.file.FileAlreadyExistsException rather than replace a CA
   */
  public static CertificateAuthority create(Path dir, Duration validity) throws IOException {
    Files.createDirectories(dir);
    KeyPair pair = newKeyPair();
    X500Name name =
        new X500NameBuilder(BCStyle.INSTANCE)
            .addRDN(BCStyle.O, "raftfs")
            .addRDN(BCStyle.CN, "raftfs cluster CA")
            .build();
    try {
      JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
      X509v3CertificateBuilder builder =
          new JcaX509v3CertificateBuilder(
                  name, serial(), notBefore(), notAfter(validity), name, pair.getPublic())
              .addExtension(Extension.basicConstraints, true, new BasicConstraints(0))
              .addExtension(
                  Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign))
              .addExtension(
                  Extension.subjectKeyIdentifier,
                  false,
                  extensions.createSubjectKeyIdentifier(pair.getPublic()));
      X509Certificate certificate = sign(builder, pair.getPrivate());
      PemWriter.privateKey(dir.resolve(KEY_FILE), pair.getPrivate());
      PemWriter.certificate(dir.resolve(CERT_FILE), certificate);
      CertificateAuthority ca = new CertificateAuthority(certificate, pair.getPrivate(), dir);
      ca.writeCrl(
          List.of(), null, BigInteger.ONE); // processes given the file need a list from the start
      return ca;
    } catch (GeneralSecurityException | CertIOException e) {
      throw new IOException("cannot make the CA: " + e.getMessage(), e);
    }
  }

  /** The CA in {@code dir}, as {@link #create} left it. */
  public static CertificateAuthority load(Path dir) throws IOException {
    return new CertificateAuthority(
        PemFiles.certificates(dir.resolve(CERT_FILE)).get(0),
        PemFiles.privateKey(dir.resolve(KEY_FILE)),
        dir);
  }

  /** The CA's certificate. */
  public X509Certificate certificate() {
    return certificate;
  }

  /** {@code crl.pem}: the certificates this CA revoked, as every process given it checks. */
  public Path crlFile() {
    return dir.resolve(CRL_FILE);
  }

  /**
   * Adds the certificate of {@code serial} to the revocation list (made if the CA has none yet),
   * signed anew, valid as long as the CA, and numbered one above the list it replaces.
   *
   * @return false when it was revoked already (the list is left as it is)
   */
  public boolean revoke(BigInteger serial) throws IOException {
    Path file = crlFile();
    X509CRL previous = null;
    if (Files.exists(file)) {
      for (X509CRL crl : PemFiles.crls(file)) {
        if (crl.getIssuerX500Principal().equals(certificate.getSubjectX500Principal())) {
          previous = crl;
        }
      }
    }
    List<X509CRLEntry> entries = new ArrayList<>();
    BigInteger number = BigInteger.ONE;
    if (previous != null) {
      if (previous.getRevokedCertificate(serial) != null) {
        return false;
      }
      if (previous.getRevokedCertificates() != null) {
        entries.addAll(previous.getRevokedCertificates());
      }
      number = crlNumber(previous).add(BigInteger.ONE);
    }
    writeCrl(entries, serial, number);
    return true;
  }

  /** Writes a list of {@code kept} and {@code revoked} (null: nothing more), numbered so. */
  private void writeCrl(List<X509CRLEntry> kept, BigInteger revoked, BigInteger number)
      throws IOException {
    Date now = new Date();
    try {
      JcaX509v2CRLBuilder builder = crlBuilder(now, number);
      for (X509CRLEntry entry : kept) {
        builder.addCRLEntry(
            entry.getSerialNumber(), entry.getRevocationDate(), CRLReason.unspecified);
      }
      if (revoked != null) {
        builder.addCRLEntry(revoked, now, CRLReason.unspecified);
      }
      PemWriter.replaceCrl(crlFile(), signCrl(builder));
    } catch (GeneralSecurityException | CertIOException e) {
      throw new IOException(crlFile() + ": cannot sign the revocation list: " + e.getMessage(), e);
    }
  }

  /**
   * A list valid until the CA itself expires: processes refuse every certificate once the list they
   * hold is out of date, and lists here are replaced by hand, not fetched.
   */
  private JcaX509v2CRLBuilder crlBuilder(Date now, BigInteger number)
      throws GeneralSecurityException, CertIOException {
    JcaX509v2CRLBuilder builder = new JcaX509v2CRLBuilder(certificate, now);
    builder.setNextUpdate(certificate.getNotAfter());
    builder.addExtension(Extension.cRLNumber, false, new CRLNumber(number));
    builder.addExtension(
        Extension.authorityKeyIdentifier,
        false,
        new JcaX509ExtensionUtils().createAuthorityKeyIdentifier(certificate));
    return builder;
  }

  private X509CRL signCrl(JcaX509v2CRLBuilder builder) throws GeneralSecurityException {
    try {
      return new JcaX509CRLConverter()
          .getCRL(builder.build(new JcaContentSignerBuilder(SIGNATURE).build(key)));
    } catch (OperatorCreationException e) {
      throw new GeneralSecurityException(e.getMessage(), e);
    }
  }

  private static BigInteger crlNumber(X509CRL crl) throws IOException {
    byte[] value = crl.getExtensionValue(Extension.cRLNumber.getId());
    if (value == null) {
      return BigInteger.ZERO;
    }
    return CRLNumber.getInstance(ASN1OctetString.getInstance(value).getOctets()).getCRLNumber();
  }

  /**
   * Issues a certificate for {@code node} reachable at {@code hosts} (names or IP literals), and
   * writes {@code ID.pem} and {@code ID.key} (mode 600) to {@code outDir}.
   *
   * @return the certificate file; the key is next to it
   * @throws java.nio.file.FileAlreadyExistsException rather than replace a certificate or key
   */
  public Path issue(NodeName node, List<String> hosts, Path outDir, Duration validity)
      throws IOException {
    Files.createDirectories(outDir);
    KeyPair pair = newKeyPair();
    X500Name subject =
        new X500NameBuilder(BCStyle.INSTANCE)
            .addRDN(BCStyle.O, "raftfs")
            .addRDN(BCStyle.OU, node.role().label())
            .addRDN(BCStyle.CN, node.id())
            .build();
    List<GeneralName> names = new ArrayList<>();
    names.add(new GeneralName(GeneralName.uniformResourceIdentifier, node.uri()));
    for (String host : hosts) {
      names.add(
          isIpLiteral(host)
              ? new GeneralName(GeneralName.iPAddress, host)
              : new GeneralName(GeneralName.dNSName, host));
    }
    try {
      JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
      X509v3CertificateBuilder builder =
          new JcaX509v3CertificateBuilder(
                  certificate, serial(), notBefore(), notAfter(validity), subject, pair.getPublic())
              .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
              .addExtension(
                  Extension.keyUsage,
                  true,
                  new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyAgreement))
              .addExtension(
                  Extension.extendedKeyUsage,
                  false,
                  new ExtendedKeyUsage(
                      new KeyPurposeId[] {
                        KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth
                      }))
              .addExtension(
                  Extension.subjectAlternativeName,
                  false,
                  new GeneralNames(names.toArray(GeneralName[]::new)))
              .addExtension(
                  Extension.subjectKeyIdentifier,
                  false,
                  extensions.createSubjectKeyIdentifier(pair.getPublic()))
              .addExtension(
                  Extension.authorityKeyIdentifier,
                  false,
                  extensions.createAuthorityKeyIdentifier(certificate));
      X509Certificate issued = sign(builder, key);
      Path keyFile = outDir.resolve(node.id() + ".key");
      Path certFile = outDir.resolve(node.id() + ".pem");
      PemWriter.privateKey(keyFile, pair.getPrivate());
      PemWriter.certificate(certFile, issued);
      return certFile;
    } catch (GeneralSecurityException | CertIOException e) {
      throw new IOException("cannot issue a certificate for " + node + ": " + e.getMessage(), e);
    }
  }

  private static X509Certificate sign(X509v3CertificateBuilder builder, PrivateKey signer)
      throws GeneralSecurityException {
    try {
      return new JcaX509CertificateConverter()
          .getCertificate(builder.build(new JcaContentSignerBuilder(SIGNATURE).build(signer)));
    } catch (OperatorCreationException e) {
      throw new GeneralSecurityException(e.getMessage(), e);
    }
  }

  private static KeyPair newKeyPair() throws IOException {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
      generator.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
      return generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IOException("the JDK cannot make EC P-256 keys: " + e.getMessage(), e);
    }
  }

  /** Positive and 159 bits at most, as RFC 5280 wants, and unguessable. */
  private static BigInteger serial() {
    return new BigInteger(159, RANDOM).add(BigInteger.ONE);
  }

  /** An hour back: a host whose clock is a little behind still accepts a new certificate. */
  private static Date notBefore() {
    return Date.from(Instant.now().minus(Duration.ofHours(1)));
  }

  private static Date notAfter(Duration validity) {
    return Date.from(Instant.now().plus(validity));
  }

  /** An IPv4 or IPv6 literal, recognised without a DNS lookup. */
  static boolean isIpLiteral(String host) {
    if (!host.matches("[0-9.]+|[0-9a-fA-F:]*:[0-9a-fA-F:.]*")) {
      return false;
    }
    try {
      InetAddress.getByName(host); // a literal: parsed, never resolved
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
