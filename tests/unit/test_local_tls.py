"""The data dir's CA: made once, kept private, good for loopback names only; the server certificate chains to it."""

from __future__ import annotations

import ipaddress
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509 import DNSName, IPAddress
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
from cryptography.x509.verification import PolicyBuilder, Store, VerificationError

from local_stack.local_tls import local_tls


def _verify(leaf: x509.Certificate, ca: x509.Certificate, name: DNSName | IPAddress) -> None:
    PolicyBuilder().store(Store([ca])).build_server_verifier(name).verify(leaf, [])


def _load(path: Path) -> x509.Certificate:
    return x509.load_pem_x509_certificate(path.read_bytes())


@pytest.mark.parametrize("name", [DNSName("localhost"), IPAddress(ipaddress.ip_address("127.0.0.1"))])
def test_the_server_certificate_verifies_for_loopback_against_the_ca(tmp_path: Path, name: DNSName | IPAddress) -> None:
    files = local_tls(tmp_path)
    _verify(_load(files.certificate), _load(files.ca_certificate), name)
    with pytest.raises(VerificationError):
        _verify(_load(files.certificate), _load(files.ca_certificate), DNSName("example.com"))


def test_the_ca_is_made_once_and_its_key_is_private(tmp_path: Path) -> None:
    first = local_tls(tmp_path)
    ca_pem, server_pem = first.ca_certificate.read_bytes(), first.certificate.read_bytes()
    second = local_tls(tmp_path)
    assert second.ca_certificate.read_bytes() == ca_pem
    assert second.certificate.read_bytes() != server_pem, "a fresh server certificate on every start"
    for private in (tmp_path / "ca-key.pem", second.private_key):
        assert oct(private.stat().st_mode)[-3:] == "600"
    assert oct(tmp_path.stat().st_mode)[-3:] == "700"


def test_the_ca_cannot_vouch_for_other_sites_even_with_its_own_key(tmp_path: Path) -> None:
    """Its name constraints keep a leaked or misused CA from impersonating anything but loopback."""
    files = local_tls(tmp_path)
    ca = _load(files.ca_certificate)
    ca_key = serialization.load_pem_private_key((tmp_path / "ca-key.pem").read_bytes(), password=None)
    assert isinstance(ca_key, ec.EllipticCurvePrivateKey)
    key = ec.generate_private_key(ec.SECP256R1())
    now = datetime.now(UTC)
    forged = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "example.com")]))
        .issuer_name(ca.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(minutes=1))
        .not_valid_after(now + timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName("example.com")]), critical=False)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), critical=False)
        .sign(ca_key, hashes.SHA256())
    )
    with pytest.raises(VerificationError, match="name constraint"):
        _verify(forged, ca, DNSName("example.com"))
