package io.airgap.core.signing;

import java.security.GeneralSecurityException;
import java.security.cert.CertPath;
import java.security.cert.CertPathValidator;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateFactory;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Validates a signing certificate chain against trust anchors the caller names (never a system
 * store), at a caller-given time, with RFC 5280 path validation. Revocation is not checked: an
 * isolated network has no OCSP responder; rotate anchors instead.
 */
final class CertificateChains {
  private static final String CODE_SIGNING = "1.3.6.1.5.5.7.3.3";
  private static final String ANY_PURPOSE = "2.5.29.37.0";

  private CertificateChains() {}

  /**
   * Checks that {@code chain.get(0)} chains to one of {@code anchors} through the other
   * certificates, that every certificate on the path is valid at {@code time}, and that the leaf
   * may sign (key usage digitalSignature or extended key usage codeSigning).
   *
   * @return the validated leaf
   * @throws SignatureException saying which certificate failed and why
   */
  static X509Certificate validate(
      List<X509Certificate> chain, Collection<X509Certificate> anchors, Instant time) {
    X509Certificate leaf = chain.get(0);
    List<X509Certificate> path = new ArrayList<>();
    X509Certificate anchor = buildPath(leaf, chain, anchors, path);
    checkValidity(leaf, time);
    for (X509Certificate certificate : path) {
      checkValidity(certificate, time);
    }
    if (!path.isEmpty()) {
      runPkix(path, anchor, time);
    }
    checkMaySign(leaf);
    return leaf;
  }

  private static X509Certificate buildPath(
      X509Certificate leaf,
      List<X509Certificate> chain,
      Collection<X509Certificate> anchors,
      List<X509Certificate> path) {
    Set<X509Certificate> used = new HashSet<>();
    X509Certificate current = leaf;
    while (path.size() <= chain.size()) {
      if (anchors.contains(current)) {
        return current;
      }
      path.add(current);
      used.add(current);
      X509Certificate anchor = issuerAmong(current, anchors, Set.of());
      if (anchor != null) {
        return anchor;
      }
      X509Certificate next = issuerAmong(current, chain, used);
      if (next == null) {
        throw new SignatureException(
            "the certificate chain of "
                + leaf.getSubjectX500Principal()
                + " does not reach a trust anchor: no certificate given for the issuer "
                + current.getIssuerX500Principal()
                + " of "
                + current.getSubjectX500Principal());
      }
      current = next;
    }
    throw new SignatureException(
        "the certificate chain of " + leaf.getSubjectX500Principal() + " loops");
  }

  private static X509Certificate issuerAmong(
      X509Certificate certificate,
      Collection<X509Certificate> candidates,
      Set<X509Certificate> excluded) {
    for (X509Certificate candidate : candidates) {
      if (!excluded.contains(candidate)
          && candidate.getSubjectX500Principal().equals(certificate.getIssuerX500Principal())
          && signedBy(certificate, candidate)) {
        return candidate;
      }
    }
    return null;
  }

  private static boolean signedBy(X509Certificate certificate, X509Certificate issuer) {
    try {
      certificate.verify(issuer.getPublicKey());
      return true;
    } catch (GeneralSecurityException e) {
      return false;
    }
  }

  private static void checkValidity(X509Certificate certificate, Instant time) {
    try {
      certificate.checkValidity(Date.from(time));
    } catch (CertificateExpiredException e) {
      throw new SignatureException(
          "certificate "
              + certificate.getSubjectX500Principal()
              + " expired on "
              + certificate.getNotAfter().toInstant()
              + " (verification time "
              + time
              + ")");
    } catch (CertificateNotYetValidException e) {
      throw new SignatureException(
          "certificate "
              + certificate.getSubjectX500Principal()
              + " is not valid before "
              + certificate.getNotBefore().toInstant()
              + " (verification time "
              + time
              + ")");
    }
  }

  private static void runPkix(List<X509Certificate> path, X509Certificate anchor, Instant time) {
    try {
      CertPath certPath = CertificateFactory.getInstance("X.509").generateCertPath(path);
      PKIXParameters parameters = new PKIXParameters(Set.of(new TrustAnchor(anchor, null)));
      parameters.setRevocationEnabled(false);
      parameters.setDate(Date.from(time));
      CertPathValidator.getInstance("PKIX").validate(certPath, parameters);
    } catch (CertPathValidatorException e) {
      String which =
          e.getIndex() >= 0 && e.getIndex() < path.size()
              ? " at " + path.get(e.getIndex()).getSubjectX500Principal()
              : "";
      throw new SignatureException(
          "the certificate chain of "
              + path.get(0).getSubjectX500Principal()
              + " is invalid"
              + which
              + ": "
              + e.getMessage(),
          e);
    } catch (GeneralSecurityException e) {
      throw new SignatureException("cannot validate the certificate chain: " + e.getMessage(), e);
    }
  }

  /**
   * RFC 5280 4.2.1.3 and 4.2.1.12: a key usage extension, when present, must allow
   * digitalSignature; an extended key usage, when present, must allow codeSigning (or any purpose);
   * and at least one of the two must say the key may sign. A TLS server certificate from the same
   * CA therefore cannot sign models.
   */
  private static void checkMaySign(X509Certificate leaf) {
    boolean[] keyUsage = leaf.getKeyUsage();
    List<String> extended;
    try {
      extended = leaf.getExtendedKeyUsage();
    } catch (java.security.cert.CertificateParsingException e) {
      throw new SignatureException(
          "certificate " + leaf.getSubjectX500Principal() + " has a malformed extended key usage",
          e);
    }
    boolean digitalSignature = keyUsage != null && keyUsage.length > 0 && keyUsage[0];
    boolean codeSigning =
        extended != null && (extended.contains(CODE_SIGNING) || extended.contains(ANY_PURPOSE));
    if (keyUsage != null && !digitalSignature) {
      throw mayNotSign(leaf, "its key usage does not include digitalSignature");
    }
    if (extended != null && !codeSigning) {
      throw mayNotSign(leaf, "its extended key usage does not include codeSigning");
    }
    if (keyUsage == null && extended == null) {
      throw mayNotSign(
          leaf, "it has neither key usage digitalSignature nor extended key usage codeSigning");
    }
  }

  private static SignatureException mayNotSign(X509Certificate leaf, String why) {
    return new SignatureException(
        "certificate " + leaf.getSubjectX500Principal() + " may not sign: " + why);
  }
}
