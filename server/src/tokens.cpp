#include <diachi/server/tokens.hpp>

#include <diachi/json.hpp>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

namespace diachi::server {

namespace {

constexpr std::string_view token_prefix = "dc_";
constexpr std::size_t token_bytes = 32;
constexpr std::size_t token_id_length = 12;

std::int64_t now_ms() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

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

std::filesystem::path TokenStore::audit_path() const { return m_file.string() + ".log"; }

void TokenStore::reload() {
    std::error_code ec;
    const auto time = std::filesystem::last_write_time(m_file, ec);
    std::vector<Stored> tokens;
    std::ifstream in(m_file);
    if (in) {
        std::string line;
        for (std::size_t number = 1; std::getline(in, line); ++number) {
            if (line.empty() || line[0] == '#') {
                continue;
            }
            std::istringstream fields(line);
            std::string first;
            std::string second;
            std::int64_t ms = 0;
            fields >> first >> second >> ms;
            const auto malformed = [&] {
                return std::runtime_error(m_file.string() + ":" + std::to_string(number) +
                                          ": not a token entry (<sha256> <role> <ms> <label>, or revoke <id> <ms> <who>)");
            };
            if (first == "revoke") {
                if (fields.fail() || second.size() != token_id_length) {
                    throw malformed();
                }
                for (auto& t : tokens) {
                    if (t.entry.info.id == second) {
                        t.entry.revoked = true;
                    }
                }
                continue;
            }
            const auto role = parse_role(second);
            if (first.size() != 64 || !role || fields.fail()) {
                throw malformed();
            }
            std::string label;
            std::getline(fields >> std::ws, label);
            tokens.push_back(Stored{first, TokenEntry{TokenInfo{*role, label, first.substr(0, token_id_length)}, ms, false}});
        }
    }
    std::lock_guard lock(m_mutex);
    m_tokens = std::move(tokens);
    m_read_time = ec ? std::filesystem::file_time_type{} : time;
}

namespace {

/// Appends @p line and a newline to @p path, which is created readable by its owner only (mode
/// 0600 from the start) and begins with @p header when new. @p what names the file in errors.
void append_private(const std::filesystem::path& path, std::string_view header, std::string_view line,
                    std::string_view what) {
    const int fd = ::open(path.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
    if (fd < 0) {
        throw std::runtime_error(path.string() + ": cannot write the " + std::string(what));
    }
    struct stat info {};
    std::string text;
    if (::fstat(fd, &info) == 0 && info.st_size == 0) {
        text.append(header);
    }
    text.append(line).push_back('\n');
    const bool written = ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size());
    ::close(fd);
    if (!written) {
        throw std::runtime_error(path.string() + ": writing the " + std::string(what) + " failed");
    }
}

}  // namespace

void TokenStore::append_line(const std::string& line) {
    append_private(m_file, "# diachi access tokens: SHA-256 of each token, its role, creation time, label; revocations\n",
                   line, "token file");
}

void TokenStore::audit(std::string_view event, const TokenInfo& info, std::string_view by) {
    append_private(audit_path(), "",
                   JsonObject{}
                       .field("time_ms", static_cast<long>(now_ms()))
                       .field("event", event)
                       .field("token", info.id)
                       .field("role", name(info.role))
                       .field("label", info.label)
                       .field("by", by)
                       .str(),
                   "token audit log");
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
    const std::int64_t ms = now_ms();
    append_line(hash + ' ' + std::string(name(role)) + ' ' + std::to_string(ms) + ' ' + clean);
    const TokenInfo info{role, clean, hash.substr(0, token_id_length)};
    std::lock_guard lock(m_mutex);
    m_tokens.push_back(Stored{hash, TokenEntry{info, ms, false}});
    audit("created", info, "diachi token create");
    return token;
}

bool TokenStore::revoke(std::string_view id, std::string_view by) {
    reload();
    std::lock_guard lock(m_mutex);
    for (auto& t : m_tokens) {
        if (t.entry.info.id == id && !t.entry.revoked) {
            std::string who(by);
            std::replace(who.begin(), who.end(), '\n', ' ');
            append_line("revoke " + std::string(id) + ' ' + std::to_string(now_ms()) + ' ' + who);
            t.entry.revoked = true;
            audit("revoked", t.entry.info, by);
            return true;
        }
    }
    return false;
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
    // Every stored hash is compared in full, whatever matched before: the time taken does not
    // depend on where a guess differs.
    const Stored* found = nullptr;
    for (const auto& t : m_tokens) {
        if (CRYPTO_memcmp(t.hash.data(), hash.data(), hash.size()) == 0) {
            found = &t;
        }
    }
    if (found == nullptr || found->entry.revoked) {
        return std::nullopt;
    }
    if (m_used.insert(found->entry.info.id).second) {
        try {
            audit("used", found->entry.info, "first use by this server");
        } catch (const std::runtime_error&) {
            // the audit log cannot be written: the request still goes on
        }
    }
    return found->entry.info;
}

std::vector<TokenEntry> TokenStore::list() const {
    std::lock_guard lock(m_mutex);
    std::vector<TokenEntry> out;
    for (const auto& t : m_tokens) {
        out.push_back(t.entry);
    }
    return out;
}

std::size_t TokenStore::size() const {
    std::lock_guard lock(m_mutex);
    return static_cast<std::size_t>(std::count_if(m_tokens.begin(), m_tokens.end(),
                                                  [](const Stored& t) { return !t.entry.revoked; }));
}

}  // namespace diachi::server
