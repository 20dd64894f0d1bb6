#include <diachi/server/tokens.hpp>

#include <sys/stat.h>

#include <chrono>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include <openssl/evp.h>
#include <openssl/rand.h>

namespace diachi::server {

namespace {

constexpr std::string_view token_prefix = "dc_";
constexpr std::size_t token_bytes = 32;

std::string hex(const unsigned char* data, std::size_t size) {
    static constexpr char digits[] = "0123456789abcdef";
    std::string out(size * 2, '0');
    for (std::size_t i = 0; i < size; ++i) {
        out[2 * i] = digits[data[i] >> 4];
        out[2 * i + 1] = digits[data[i] & 15];
    }
    return out;
}

}  // namespace

std::string_view name(Role role) noexcept { return role == Role::admin ? "admin" : "staff"; }

std::optional<Role> parse_role(std::string_view text) noexcept {
    if (text == "staff") {
        return Role::staff;
    }
    if (text == "admin") {
        return Role::admin;
    }
    return std::nullopt;
}

std::string sha256_hex(std::string_view data) {
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int size = 0;
    if (EVP_Digest(data.data(), data.size(), digest, &size, EVP_sha256(), nullptr) != 1) {
        throw std::runtime_error("SHA-256 failed (OpenSSL)");
    }
    return hex(digest, size);
}

TokenStore::TokenStore(std::filesystem::path file) : m_file(std::move(file)) { reload(); }

void TokenStore::reload() {
    std::error_code ec;
    const auto time = std::filesystem::last_write_time(m_file, ec);
    std::unordered_map<std::string, TokenInfo> by_hash;
    std::ifstream in(m_file);
    if (in) {
        std::string line;
        for (std::size_t number = 1; std::getline(in, line); ++number) {
            if (line.empty() || line[0] == '#') {
                continue;
            }
            std::istringstream fields(line);
            std::string hash;
            std::string role;
            std::int64_t created = 0;
            fields >> hash >> role >> created;
            const auto parsed = parse_role(role);
            if (hash.size() != 64 || !parsed || fields.fail()) {
                throw std::runtime_error(m_file.string() + ":" + std::to_string(number) +
                                         ": not a token entry (<sha256> <role> <ms> <label>)");
            }
            std::string label;
            std::getline(fields >> std::ws, label);
            by_hash[hash] = TokenInfo{*parsed, label};
        }
    }
    std::lock_guard lock(m_mutex);
    m_by_hash = std::move(by_hash);
    m_read_time = ec ? std::filesystem::file_time_type{} : time;
}

std::string TokenStore::create(Role role, std::string_view label) {
    unsigned char random[token_bytes];
    if (RAND_bytes(random, sizeof random) != 1) {
        throw std::runtime_error("no random bytes for a token (OpenSSL RAND_bytes)");
    }
    std::string token(token_prefix);
    token += hex(random, sizeof random);
    const std::string hash = sha256_hex(token);
    std::string clean(label);
    for (char& c : clean) {
        if (c == '\n' || c == '\r') {
            c = ' ';
        }
    }
    const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                        std::chrono::system_clock::now().time_since_epoch())
                        .count();
    {
        const bool is_new = !std::filesystem::exists(m_file);
        std::ofstream out(m_file, std::ios::app);
        if (!out) {
            throw std::runtime_error(m_file.string() + ": cannot write the token file");
        }
        if (is_new) {
            ::chmod(m_file.c_str(), 0600);
            out << "# diachi access tokens: SHA-256 of each token, its role, creation time, label\n";
        }
        out << hash << ' ' << name(role) << ' ' << ms << ' ' << clean << '\n';
        out.flush();
        if (!out) {
            throw std::runtime_error(m_file.string() + ": writing the token failed");
        }
    }
    std::lock_guard lock(m_mutex);
    m_by_hash[hash] = TokenInfo{role, clean};
    return token;
}

std::optional<TokenInfo> TokenStore::verify(std::string_view token) {
    if (token.size() != token_prefix.size() + 2 * token_bytes ||
        token.substr(0, token_prefix.size()) != token_prefix) {
        return std::nullopt;
    }
    const std::string hash = sha256_hex(token);
    std::error_code ec;
    const auto time = std::filesystem::last_write_time(m_file, ec);
    bool stale = false;
    {
        std::lock_guard lock(m_mutex);
        stale = !ec && time != m_read_time;
    }
    if (stale) {
        try {
            reload();
        } catch (const std::runtime_error&) {
            // a file being written or broken: keep the tokens read before
        }
    }
    std::lock_guard lock(m_mutex);
    const auto it = m_by_hash.find(hash);
    if (it == m_by_hash.end()) {
        return std::nullopt;
    }
    return it->second;
}

std::size_t TokenStore::size() const {
    std::lock_guard lock(m_mutex);
    return m_by_hash.size();
}

}  // namespace diachi::server
