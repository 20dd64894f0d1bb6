#ifndef DIACHI_SERVER_TOKENS_HPP
#define DIACHI_SERVER_TOKENS_HPP

/// @file
/// Access tokens. A token is 32 random bytes, shown once, as "dc_" and 64 hex digits; only its
/// SHA-256 is kept, one line per token in a text file beside the store:
///     <sha256 hex> <role> <created, Unix ms> <label>
/// A request carrying "Authorization: Bearer <token>" acts with the token's role.

#include <cstdint>
#include <filesystem>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

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
};

class TokenStore {
public:
    /// The tokens in @p file (none yet when it does not exist). Throws std::runtime_error
    /// naming the file and line of a malformed entry.
    explicit TokenStore(std::filesystem::path file);

    /// Makes a token with @p role, appends its hash to the file (created with mode 0600) and
    /// returns the token, which is not kept anywhere. @p label says whose it is.
    [[nodiscard]] std::string create(Role role, std::string_view label);

    /// The token's owner, or nullopt for an unknown or malformed token. Compares hashes only.
    /// Reads the file again first when it changed (tokens made by `diachi token create` while
    /// the server runs).
    [[nodiscard]] std::optional<TokenInfo> verify(std::string_view token);

    /// Reads the file again (tokens created by another process).
    void reload();

    [[nodiscard]] std::size_t size() const;

private:
    std::filesystem::path m_file;
    mutable std::mutex m_mutex;
    std::unordered_map<std::string, TokenInfo> m_by_hash;
    std::filesystem::file_time_type m_read_time{};
};

/// The SHA-256 of @p data as 64 lower-case hex digits.
[[nodiscard]] std::string sha256_hex(std::string_view data);

}  // namespace diachi::server

#endif  // DIACHI_SERVER_TOKENS_HPP
