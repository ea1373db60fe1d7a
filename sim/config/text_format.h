// Text forms of values in diagnostics, generated docs and the resolved configuration: one
// spelling of a number everywhere the loader, the schema and the emitter print one.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace neurochip::sim {

std::string join(const std::vector<std::string>& words, const std::string& sep);
/// `v` in upper-case hexadecimal with a 0x prefix.
std::string hex_text(int64_t v);
/// Integers as plain decimals; other values as the shortest decimal text that reads back as exactly `v`.
std::string number_text(double v);

}  // namespace neurochip::sim
