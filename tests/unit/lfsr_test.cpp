// Unit tests of the stream LFSR primitive (hw_model/common/lfsr.h) and ReckOn's stochastic-rounding
// LFSRs (hw_model/core/stochastic_rounding.h) against SPEC.md §2.8: the table-driven advance
// against the recurrence, the period the polynomial gives, the stream property of the unfolded
// outputs, and the register states of ReckOn's RTL on 301 ticks (traces/golden/reckon_rtl).
#include <gtest/gtest.h>

#include <cstdint>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "common/lfsr.h"
#include "core/stochastic_rounding.h"

namespace {

using neurochip::hw::LfsrSpec;
using neurochip::hw::StreamLfsr;

LfsrSpec serial_spec(uint32_t width, std::vector<uint32_t> taps, uint32_t k) {
  LfsrSpec s;
  s.name = "test";
  s.width = width;
  s.taps = std::move(taps);
  s.bits_per_advance = k;
  return s;
}

TEST(Lfsr, TableAdvanceEqualsTheRecurrence) {
  const std::vector<LfsrSpec> specs = {neurochip::hw::reckon_membrane_lfsr(), neurochip::hw::reckon_readout_lfsr(),
                                       serial_spec(25, {0, 22}, 32), serial_spec(17, {0, 14}, 64),
                                       serial_spec(64, {0, 1, 3, 4}, 64)};
  for (const LfsrSpec& spec : specs) {
    for (uint64_t seed : {uint64_t{1}, uint64_t{0x1234}, uint64_t{0x7FFF}, uint64_t{0x5A5A5A}}) {
      StreamLfsr fast(spec, seed), slow(spec, seed);
      for (int i = 0; i < 100000; ++i) {
        const uint64_t a = fast.advance(), b = slow.advance_serial();
        ASSERT_EQ(a, b) << spec.name << " seed " << seed << " advance " << i;
        ASSERT_EQ(fast.window(), slow.window());
      }
    }
  }
}

TEST(Lfsr, WideAdvancesEqualTheRecurrence) {
  // 512 and 448 bits per advance (ReckOn's weight LFSRs' widths): the tables against the serial
  // definition, and the concatenated output is one stream.
  for (const LfsrSpec& spec : {serial_spec(25, {0, 22}, 512), serial_spec(22, {0, 21}, 448)}) {
    StreamLfsr fast(spec, 0xF0F0), slow(spec, 0xF0F0);
    std::vector<uint64_t> a(fast.words()), b(slow.words());
    std::vector<int> o;
    for (int i = 0; i < 2000; ++i) {
      fast.advance_into(a.data());
      slow.advance_serial_into(b.data());
      ASSERT_EQ(a, b) << spec.bits_per_advance << " advance " << i;
      if (i < 3)
        for (uint32_t bit = 0; bit < spec.bits_per_advance; ++bit) o.push_back(static_cast<int>((a[bit / 64] >> (bit % 64)) & 1));
    }
    const uint32_t w = spec.width, t = spec.taps[1];
    for (size_t n = 0; n + w < o.size(); ++n) ASSERT_EQ(o[n + w], o[n] ^ o[n + t]) << n;
  }
}

TEST(Lfsr, RecurrenceIsTheOneSpecified) {
  // One bit per advance: o[n + 15] = o[n] ^ o[n + 14]. Window 0b1 (o[0] = 1, the rest 0):
  // o[15] = o[0] ^ o[14] = 1, o[16] = o[1] ^ o[15] = 1, o[17] = o[2] ^ o[16] = 1.
  StreamLfsr l(serial_spec(15, {0, 14}, 1), 1);
  EXPECT_EQ(l.advance(), 1u);  // o[0]
  for (int i = 1; i < 15; ++i) EXPECT_EQ(l.advance(), 0u) << i;
  EXPECT_EQ(l.advance(), 1u);  // o[15]
  EXPECT_EQ(l.advance(), 1u);  // o[16]
  EXPECT_EQ(l.advance(), 1u);  // o[17]
}

TEST(Lfsr, FifteenBitTrinomialHasTheFullPeriod) {
  // x^15 + x + 1 is primitive: the window returns to its seed after exactly 2^15 - 1 bits, and
  // every non-zero window occurs once.
  StreamLfsr l(serial_spec(15, {0, 14}, 1), 0x73F3);
  std::vector<bool> seen(1u << 15, false);
  uint64_t n = 0;
  do {
    ASSERT_FALSE(seen[l.window()]) << "window repeats after " << n;
    seen[l.window()] = true;
    l.advance();
    ++n;
  } while (l.window() != 0x73F3 && n < (1u << 16));
  EXPECT_EQ(n, 32767u);
  EXPECT_FALSE(seen[0]);
}

TEST(Lfsr, UnfoldedOutputsAreOneStream) {
  // ReckOn's LFSRs expose consecutive bits of one stream: concatenated over advances, the outputs
  // obey the recurrence.
  for (const LfsrSpec* spec : {&neurochip::hw::reckon_membrane_lfsr(), &neurochip::hw::reckon_readout_lfsr()}) {
    StreamLfsr l(*spec, 0x74F4);
    std::vector<int> o;
    for (int a = 0; a < 200; ++a) {
      const uint64_t out = l.advance();
      for (uint32_t i = 0; i < spec->bits_per_advance; ++i) o.push_back(static_cast<int>((out >> i) & 1));
    }
    for (size_t n = 0; n + 15 < o.size(); ++n) ASSERT_EQ(o[n + 15], o[n] ^ o[n + 14]) << spec->name << " bit " << n;
  }
}

TEST(Lfsr, LoadMapsAreReckOnsRegisterToStreamMaps) {
  // Membrane LFSR: the first output is o[0..14] with o[i] = d0 ^ ... ^ di. Seed 0b101 (d0 = d2 = 1):
  // o = 1, 1, 0, 0, ... (o[1] = d0 ^ d1 = 1, o[2] = 1 ^ 0 ^ 1 = 0, and 0 from then on since no
  // further d is set) -> 0b11 in bits 0..1 and 0 above... o[2..14] = d0^d1^d2^... = 0.
  StreamLfsr m(neurochip::hw::reckon_membrane_lfsr(), 0b101);
  EXPECT_EQ(m.window(), 0b11u);
  // Readout LFSR: o[1] = d0 ^ d1, o[2] = d0 ^ d1 ^ d3 (mask 0xB). Seed d1 only: o[1] = 1, o[2] = 1,
  // and the masks 0x2B.. 0x7FFF all contain bit 1 -> every o[i] with i >= 1 is 1.
  StreamLfsr r(neurochip::hw::reckon_readout_lfsr(), 0b10);
  EXPECT_EQ(r.window(), 0x7FFEu);
}

TEST(Lfsr, NoiseLfsrGivesTheNetlistsWords) {
  // ReckOn's lfsr_noise_neur (17 bits, 32 outputs per clock) simulated gate by gate from the demo
  // seed 0x00FF0 exposes 0x513B6C70, then 0xB7CC84D4, then 0x03710C7C; from its reset value
  // 0x1F0F1, 0xB9623939 then 0x13D94689.
  StreamLfsr demo(neurochip::hw::reckon_noise_lfsr(), 0x00FF0);
  EXPECT_EQ(demo.advance(), 0x513B6C70u);
  EXPECT_EQ(demo.advance(), 0xB7CC84D4u);
  EXPECT_EQ(demo.advance(), 0x03710C7Cu);
  StreamLfsr reset(neurochip::hw::reckon_noise_lfsr(), 0x1F0F1);
  EXPECT_EQ(reset.advance(), 0xB9623939u);
  EXPECT_EQ(reset.advance(), 0x13D94689u);
}

TEST(Lfsr, BadSpecsAreRejected) {
  EXPECT_THROW(StreamLfsr(serial_spec(1, {0}, 1), 1), std::invalid_argument);
  EXPECT_THROW(StreamLfsr(serial_spec(15, {1, 14}, 1), 1), std::invalid_argument);  // no x^0 tap
  EXPECT_THROW(StreamLfsr(serial_spec(15, {0, 15}, 1), 1), std::invalid_argument);  // tap beyond W
  EXPECT_THROW(StreamLfsr(serial_spec(15, {0, 14}, 4097), 1), std::invalid_argument);
  LfsrSpec s = serial_spec(15, {0, 14}, 7);
  s.load_map = {1, 2};
  EXPECT_THROW(StreamLfsr(s, 1), std::invalid_argument);
}

/// traces/golden/reckon_rtl/lfsr_sr_states.csv: instance -> tick -> register state.
std::map<std::string, std::map<int, uint64_t>> reckon_states() {
  std::ifstream in(std::string(NEUROCHIP_REPO_ROOT) + "/traces/golden/reckon_rtl/lfsr_sr_states.csv");
  std::map<std::string, std::map<int, uint64_t>> states;
  std::string line;
  std::getline(in, line);
  while (std::getline(in, line)) {
    std::stringstream ss(line);
    std::string tick, inst, hex;
    std::getline(ss, tick, ',');
    std::getline(ss, inst, ',');
    std::getline(ss, hex, ',');
    states[inst][std::stoi(tick)] = std::stoull(hex, nullptr, 16);
  }
  return states;
}

TEST(Lfsr, MatchesReckOnRtlRegisterStatesTickByTick) {
  // ReckOn's demo (100 neurons in 50 two-neuron words, 16 readout slots): every membrane / trace
  // LFSR advances once per word in STEP (50 per tick), the readout LFSR 16 times; tick 0 has no
  // STEP. The register states are compared through the load map (state -> stream window).
  const auto states = reckon_states();
  ASSERT_EQ(states.size(), 9u);
  for (const auto& [inst, by_tick] : states) {
    const bool readout = inst == "lfsr_strnd_oneur_u";
    const bool seven = readout || inst.rfind("lfsr_strnd_tout", 0) == 0;
    const LfsrSpec& spec = seven ? neurochip::hw::reckon_readout_lfsr() : neurochip::hw::reckon_membrane_lfsr();
    const int per_tick = readout ? 16 : 50;
    StreamLfsr lfsr(spec, by_tick.at(0));
    int compared = 0;
    for (int t = 0; t <= 300; ++t) {
      ASSERT_EQ(lfsr.window(), lfsr.window_of_seed(by_tick.at(t))) << inst << " tick " << t;
      ++compared;
      if (t >= 1)  // tick 0 goes IDLE -> PROP
        for (int a = 0; a < per_tick; ++a) lfsr.advance();
    }
    EXPECT_EQ(compared, 301);
  }
}

}  // namespace
