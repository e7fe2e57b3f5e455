// GnuTLS does the verification (libetpan is built against it on Debian):
// a trust list from the system store or the configured CA file, the chain
// as the server sent it, and the host name checked with the chain.
#include "server_certificate.hpp"

#include <gnutls/gnutls.h>
#include <gnutls/x509.h>
#include <libetpan/libetpan.h>

#include <memory>
#include <stdexcept>
#include <vector>

namespace switchboard::plugins::email {
namespace {

struct TrustListFree {
  void operator()(gnutls_x509_trust_list_st* list) const { gnutls_x509_trust_list_deinit(list, 1); }
};
using TrustList = std::unique_ptr<gnutls_x509_trust_list_st, TrustListFree>;

struct CertificateFree {
  void operator()(gnutls_x509_crt_int* crt) const { gnutls_x509_crt_deinit(crt); }
};
using Certificate = std::unique_ptr<gnutls_x509_crt_int, CertificateFree>;

struct ChainFree {
  void operator()(carray* chain) const { mailstream_certificate_chain_free(chain); }
};

TrustList trust_list(const std::string& ca_file) {
  gnutls_x509_trust_list_t raw = nullptr;
  if (gnutls_x509_trust_list_init(&raw, 0) < 0) throw std::runtime_error("tls: cannot create a trust list");
  TrustList list(raw);
  int added = ca_file.empty()
                  ? gnutls_x509_trust_list_add_system_trust(raw, 0, 0)
                  : gnutls_x509_trust_list_add_trust_file(raw, ca_file.c_str(), nullptr, GNUTLS_X509_FMT_PEM, 0, 0);
  if (added <= 0) {
    throw std::runtime_error(ca_file.empty() ? std::string("tls: no trusted CA certificates in the system store")
                                             : "tls: no CA certificate could be read from tls_ca_file " + ca_file);
  }
  return list;
}

// The server's chain, leaf first, as libetpan received it (DER).
std::vector<Certificate> chain_of(mailstream* stream) {
  std::unique_ptr<carray, ChainFree> chain(mailstream_get_certificate_chain(stream));
  if (!chain || carray_count(chain.get()) == 0) throw std::runtime_error("tls: the server presented no certificate");
  std::vector<Certificate> out;
  for (unsigned i = 0; i < carray_count(chain.get()); ++i) {
    auto* der = static_cast<MMAPString*>(carray_get(chain.get(), i));
    gnutls_x509_crt_t raw = nullptr;
    if (gnutls_x509_crt_init(&raw) < 0) throw std::runtime_error("tls: out of memory");
    Certificate crt(raw);
    gnutls_datum_t datum{reinterpret_cast<unsigned char*>(der->str), static_cast<unsigned>(der->len)};
    if (gnutls_x509_crt_import(raw, &datum, GNUTLS_X509_FMT_DER) < 0) {
      throw std::runtime_error("tls: the server's certificate could not be parsed");
    }
    out.push_back(std::move(crt));
  }
  return out;
}

std::string status_text(unsigned status) {
  gnutls_datum_t text{nullptr, 0};
  if (gnutls_certificate_verification_status_print(status, GNUTLS_CRT_X509, &text, 0) < 0) {
    return "status " + std::to_string(status);
  }
  std::string out(reinterpret_cast<const char*>(text.data), text.size);
  gnutls_free(text.data);
  while (!out.empty() && (out.back() == ' ' || out.back() == '\0')) out.pop_back();
  return out;
}

}  // namespace

void verify_server_certificate(_mailstream* stream, const std::string& host, const std::string& ca_file) {
  TrustList trust = trust_list(ca_file);
  std::vector<Certificate> chain = chain_of(stream);
  std::vector<gnutls_x509_crt_t> raw;
  for (const auto& crt : chain) raw.push_back(crt.get());
  gnutls_typed_vdata_st name{GNUTLS_DT_DNS_HOSTNAME, reinterpret_cast<unsigned char*>(const_cast<char*>(host.c_str())),
                             0};
  unsigned status = 0;
  int r = gnutls_x509_trust_list_verify_crt2(trust.get(), raw.data(), static_cast<unsigned>(raw.size()), &name, 1, 0,
                                             &status, nullptr);
  if (r < 0) throw std::runtime_error(std::string("tls: verifying the certificate failed: ") + gnutls_strerror(r));
  if (status != 0) {
    throw std::runtime_error("tls: the certificate of " + host + " is not trusted (" + status_text(status) +
                             (ca_file.empty() ? "; set tls_ca_file to trust a private CA)" : ")"));
  }
}

}  // namespace switchboard::plugins::email
