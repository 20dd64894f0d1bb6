#ifndef DIACHI_SERVER_TOKENS_HPP
#define DIACHI_SERVER_TOKENS_HPP

/// @file
/// Access tokens. A token is 32 random bytes, shown once, as "dc_" and 64 hex digits; only its
/// SHA-256 is kept, one line per token in a text file beside the store:
///     <sha256 hex> <role> <created, Unix ms> <label>
/// and a revocation appends
///     revoke <token id> <Unix ms> <who>
/// A token's id is the first 12 hex digits of its hash: it names the token in listings, the
/// audit log and the households' history, and cannot be used to act. A request carrying
/// "Authorization: Bearer <token>" acts with the token's role. Every creation, revocation and
/// first use (per process) is appended to the audit log, the token file's name plus ".log",
/// as JSON lines.

#include <cstdint>
#include <filesystem>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace diachi::server {

/// What a token allows: staff read personal fields and change households; admins also
/// everything staff can.
enum class Role : std::uint8_t { staff = 1, admin = 2 };

/// "staff", "admin".
[[nodiscard]] std::string_view name(Role role) noexcept;
/// The role named @p text, or nullopt.
[[nodiscard]] std::optional<Role> parse_role(std::string_view text) noexcept;

/// Who a token belongs to.
struct TokenInfo {
    Role role = Role::staff;
    std::string label;
    std::string id;  ///< the first 12 hex digits of the token's hash
};

/// A token as listed (never the token itself).
struct TokenEntry {
    TokenInfo info;
    std::int64_t created_ms = 0;
    bool revoked = false;
};

class TokenStore {
public:
    /// The tokens in @p file (none yet when it does not exist). Throws std::runtime_error
    /// naming the file and line of a malformed entry.
    explicit TokenStore(std::filesystem::path file);

    /// Makes a token with @p role, appends its hash to the file (created with mode 0600) and
    /// returns the token, which is not kept anywhere. @p label says whose it is.
    [[nodiscard]] std::string create(Role role, std::string_view label);

    /// Revokes the token with id @p id (see TokenInfo::id); @p by says who. Returns false when
    /// no token that is not revoked has that id.
    bool revoke(std::string_view id, std::string_view by);

    /// The token's owner, or nullopt for an unknown, revoked or malformed token. The token's
    /// hash is compared with every known hash in constant time. Reads the file again first
    /// when it changed (tokens made or revoked by another process while the server runs).
    [[nodiscard]] std::optional<TokenInfo> verify(std::string_view token);

    /// Reads the file again (tokens created by another process).
    void reload();

    /// Every token, revoked ones too, in the order made.
    [[nodiscard]] std::vector<TokenEntry> list() const;

    /// Tokens that can be used.
    [[nodiscard]] std::size_t size() const;

    /// The audit log's path: the token file's plus ".log".
    [[nodiscard]] std::filesystem::path audit_path() const;

private:
    struct Stored {
        std::string hash;  // 64 hex digits
        TokenEntry entry;
    };
    void audit(std::string_view event, const TokenInfo& info, std::string_view by);
    void append_line(const std::string& line);

    std::filesystem::path m_file;
    mutable std::mutex m_mutex;
    std::vector<Stored> m_tokens;
    std::set<std::string> m_used;  // ids audited as used by this process
    std::filesystem::file_time_type m_read_time{};
};

/// The SHA-256 of @p data as 64 lower-case hex digits.
[[nodiscard]] std::string sha256_hex(std::string_view data);

}  // namespace diachi::server

#endif  // DIACHI_SERVER_TOKENS_HPP
