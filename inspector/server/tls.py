"""HTTPS for phones on a LAN: browsers give GPS and the camera only to secure pages.

``certificate_files`` returns a given certificate, or makes (once) a
self-signed one under the data folder, valid for localhost, the host name and
every local IP address the server listens on.
"""

import datetime
import ipaddress
import socket
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID


def _local_addresses(host: str) -> set[str]:
    names = {"127.0.0.1", "::1"}
    if host not in ("0.0.0.0", "::", ""):
        names.add(host)
    try:
        names.update(info[4][0] for info in socket.getaddrinfo(socket.gethostname(), None))
    except OSError:
        pass
    return names


def make_self_signed(cert_path: Path, key_path: Path, host: str) -> None:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Inspector 创卫巡查 (self-signed)")])
    alt: list[x509.GeneralName] = [x509.DNSName("localhost"), x509.DNSName(socket.gethostname())]
    for address in _local_addresses(host):
        try:
            alt.append(x509.IPAddress(ipaddress.ip_address(address.split("%")[0])))
        except ValueError:
            alt.append(x509.DNSName(address))
    now = datetime.datetime.now(datetime.timezone.utc)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=825))
        .add_extension(x509.SubjectAlternativeName(alt), critical=False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    key_path.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    key_path.chmod(0o600)
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))


def certificate_files(data_dir: Path, cert: str | None, key: str | None, host: str) -> tuple[Path, Path]:
    """The certificate and key to serve HTTPS with."""
    if cert:
        if not key:
            raise SystemExit("--cert needs --key")
        return Path(cert), Path(key)
    folder = data_dir / "tls"
    folder.mkdir(parents=True, exist_ok=True)
    cert_path, key_path = folder / "cert.pem", folder / "key.pem"
    if not cert_path.exists() or not key_path.exists():
        make_self_signed(cert_path, key_path, host)
    return cert_path, key_path
