package io.airgap.deps;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.airgap.core.InputException;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Source specs ({@code TYPE=LOCATION}) turned into repositories, credentials from a given map. */
class RepositoriesTest {
  private static final Map<String, String> NONE = Map.of();

  private static final Map<String, String> HARBOR_ROBOT =
      Map.of(
          "AIRGAP_REGISTRY_USER", "robot$ci",
          "AIRGAP_REGISTRY_PASSWORD", "s3cret",
          "AIRGAP_REGISTRY_HOST", "harbor.intra");

  @Test
  void eachTypeGivesItsRepository() {
    assertThat(Repositories.parse("maven=https://nexus.intra/maven2", NONE).describe())
        .isEqualTo("maven repository https://nexus.intra/maven2/");
    assertThat(Repositories.parse("maven=/srv/m2", NONE).describe())
        .isEqualTo("maven repository file:///srv/m2/");
    assertThat(Repositories.parse("directory=/srv/mirror", NONE))
        .isInstanceOf(DirectoryMirror.class);
    assertThat(Repositories.parse("huggingface=/srv/hub", NONE))
        .isInstanceOf(HuggingFaceCache.class);
    assertThat(Repositories.parse("oci=https://harbor.intra", NONE).describe())
        .isEqualTo("oci registry https://harbor.intra/");
    assertThat(Repositories.parse("oci-layout=/srv/store", NONE)).isInstanceOf(OciLayout.class);
  }

  @Test
  void aLocationMayHoldAnEqualsSign() {
    assertThat(Repositories.parse("directory=/srv/a=b", NONE).describe()).contains("/srv/a=b");
  }

  @Test
  void aSpecWithoutTypeOrLocationIsRefusedNamingIt() {
    assertThatThrownBy(() -> Repositories.parse("/srv/mirror", NONE))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "/srv/mirror: a source is TYPE=LOCATION, TYPE one of maven, directory, huggingface,"
                + " oci or oci-layout");
    assertThatThrownBy(() -> Repositories.parse("=/srv/mirror", NONE))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("=/srv/mirror: a source is TYPE=LOCATION");
    assertThatThrownBy(() -> Repositories.parse("directory=", NONE))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("directory=: the location is empty");
  }

  @Test
  void anUnknownTypeIsRefusedNamingTheTypes() {
    assertThatThrownBy(() -> Repositories.parse("svn=https://svn.intra/", NONE))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "svn=https://svn.intra/: the type must be maven, directory, huggingface, oci or"
                + " oci-layout, not svn");
  }

  @Test
  void aMalformedOrUnsupportedLocationIsRefusedNamingTheSpec() {
    assertThatThrownBy(() -> Repositories.parse("maven=http://bad host/", NONE))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "maven=http://bad host/: Illegal character in authority at index 7: http://bad host/");
    assertThatThrownBy(() -> Repositories.parse("maven=ftp://nexus.intra/", NONE))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "maven=ftp://nexus.intra/: a Maven repository is a file:, http: or https: URL, not"
                + " ftp://nexus.intra/");
    assertThatThrownBy(() -> Repositories.parse("oci=harbor.intra", NONE))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "oci=harbor.intra: an OCI registry is an http: or https: URL with a host, not"
                + " harbor.intra");
    assertThatThrownBy(() -> Repositories.parse("directory=/srv/a\0b", NONE))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("directory=/srv/a\0b: ");
  }

  @Test
  void theRegistryOfTheNamedHostGetsTheCredentialsAndNoOtherDoes() {
    OciRegistry harbor =
        (OciRegistry) Repositories.parse("oci=https://HARBOR.intra/", HARBOR_ROBOT);
    OciRegistry other = (OciRegistry) Repositories.parse("oci=https://other.intra/", HARBOR_ROBOT);
    OciRegistry anonymous = (OciRegistry) Repositories.parse("oci=https://harbor.intra/", NONE);

    assertThat(harbor.user()).isEqualTo("robot$ci");
    assertThat(other.user()).isNull();
    assertThat(anonymous.user()).isNull();
  }

  @Test
  void credentialsWithoutTheirHostAreRefused() {
    assertThatThrownBy(
            () ->
                Repositories.parse(
                    "oci=https://harbor.intra/",
                    Map.of("AIRGAP_REGISTRY_USER", "robot", "AIRGAP_REGISTRY_PASSWORD", "s3cret")))
        .isInstanceOf(InputException.class)
        .hasMessage(
            "AIRGAP_REGISTRY_USER and AIRGAP_REGISTRY_PASSWORD are set without"
                + " AIRGAP_REGISTRY_HOST, the registry host they are for");
  }

  @Test
  void aMissingCredentialsVariableIsRefusedNamingIt() {
    assertThatThrownBy(
            () ->
                Repositories.parse(
                    "oci=https://harbor.intra/",
                    Map.of(
                        "AIRGAP_REGISTRY_USER", "robot", "AIRGAP_REGISTRY_HOST", "harbor.intra")))
        .isInstanceOf(InputException.class)
        .hasMessage(
            "AIRGAP_REGISTRY_USER is set without AIRGAP_REGISTRY_PASSWORD; set both for a"
                + " registry that needs credentials, or neither");
    assertThatThrownBy(
            () ->
                Repositories.parse(
                    "oci=https://harbor.intra/", Map.of("AIRGAP_REGISTRY_PASSWORD", "s3cret")))
        .isInstanceOf(InputException.class)
        .hasMessage(
            "AIRGAP_REGISTRY_PASSWORD is set without AIRGAP_REGISTRY_USER; set both for a"
                + " registry that needs credentials, or neither");
  }

  @Test
  void credentialsConcernOnlyRegistries() {
    Map<String, String> incomplete = Map.of("AIRGAP_REGISTRY_USER", "robot");

    assertThat(Repositories.parse("maven=https://nexus.intra/maven2/", incomplete).describe())
        .isEqualTo("maven repository https://nexus.intra/maven2/");
  }
}
