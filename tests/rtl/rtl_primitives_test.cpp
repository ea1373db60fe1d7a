// Equivalence of the e-prop RTL primitives (rtl/, SPEC.md §2.3, §2.8, §6) with the C++ kernel, on the
// Verilated harness tests/rtl/eprop_prims_top.sv: the stochastic weight update (W = 32 and 28) on
// corners and 10^6 random inputs; the hard sigmoid exhaustively; the pseudo-derivative exhaustively
// over u for random threshold/level sets (through EpropEngine); the learning signal on 10^6 random
// rows (through EpropEngine); the trace increments exhaustively and the trace decays exhaustively
// (output trace) or on corners and 10^6 random inputs (alpha), against fxp::round_stochastic; the four
// LFSRs against StreamLfsr over 20,000 advances for several seeds.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <random>
#include <vector>

#include "Veprop_prims.h"
#include "common/fixed_point.h"
#include "core/stochastic_rounding.h"
#include "learning/eprop_engine.h"

namespace {

using namespace neurochip::hw;

int64_t sext(uint64_t v, int bits) { return static_cast<int64_t>(v << (64 - bits)) >> (64 - bits); }

class RtlPrimitives : public ::testing::Test {
 protected:
  void SetUp() override {
    m.clk_i = 0;
    m.rst_ni = 0;
    m.eval();
    m.rst_ni = 1;
    m.eval();
  }
  Veprop_prims m;
};

TEST_F(RtlPrimitives, StochasticUpdateMatchesTheKernel) {
  std::mt19937_64 rng(1);
  uint64_t checked = 0;
  const auto check = [&](int32_t w, int64_t p32, uint32_t lr_p, uint32_t lr_r, uint64_t rnd) {
    m.su_w_i = static_cast<uint8_t>(w);
    m.su_p_i = static_cast<uint32_t>(p32);
    m.su_lr_p_i = lr_p;
    m.su_lr_r_i = lr_r;
    m.su_rnd_i = static_cast<uint32_t>(rnd);
    m.eval();
    ASSERT_EQ(static_cast<int8_t>(m.su32_w_o), stochastic_update(w, sext(static_cast<uint64_t>(p32), 32), 32, lr_p,
                                                                 lr_r, rnd & 0xFFFFFFFFu))
        << "W=32 w=" << w << " p=" << p32 << " lr_p=" << lr_p << " lr_r=" << lr_r << " rnd=" << rnd;
    ASSERT_EQ(static_cast<int8_t>(m.su28_w_o), stochastic_update(w, sext(static_cast<uint64_t>(p32), 28), 28, lr_p,
                                                                 lr_r, rnd & 0xFFFFFFFu))
        << "W=28 w=" << w << " p=" << p32 << " lr_p=" << lr_p << " lr_r=" << lr_r << " rnd=" << rnd;
    ++checked;
  };
  // Corners: extreme weights, P at 0, ±1, the largest and most negative values of both widths, every
  // rate shift, draws at 0, 1, q − 1, q, q + 1 and all ones.
  const int32_t ws[] = {-128, -127, -1, 0, 1, 126, 127};
  const int64_t ps[] = {0, 1, -1, 2, -2, 0x7FFFFFF, -0x8000000, 0x7FFFFFFF, -0x7FFFFFFF - 1, 12345, -12345};
  for (int32_t w : ws)
    for (int64_t p : ps)
      for (uint32_t lr_p = 0; lr_p < 32; ++lr_p)
        for (uint32_t lr_r = 0; lr_r < 32; lr_r += 3) {
          const uint64_t mag = static_cast<uint64_t>(p < 0 ? -p : p);
          const uint64_t q = std::min<uint64_t>(lr_p >= 40 ? ~0ull : mag << lr_p, 0xFFFFFFFFu) >> lr_r;
          for (uint64_t rnd : {uint64_t{0}, uint64_t{1}, q - 1, q, q + 1, uint64_t{0xFFFFFFFF}, uint64_t{0xFFFFFFF}})
            check(w, p, lr_p, lr_r, rnd);
        }
  // Random: P of random bit length and sign, draws either uniform or near q.
  for (int n = 0; n < 1000000; ++n) {
    const int32_t w = static_cast<int32_t>(rng() % 256) - 128;
    const int len = static_cast<int>(rng() % 33);
    int64_t p = len == 0 ? 0 : static_cast<int64_t>(rng() & ((uint64_t{1} << len) - 1)) >> 1;
    if (rng() & 1) p = -p;
    p = sext(static_cast<uint64_t>(p), 32);
    const uint32_t lr_p = rng() % 32, lr_r = rng() % 32;
    const uint64_t mag = static_cast<uint64_t>(p < 0 ? -p : p);
    const uint64_t q = std::min<uint64_t>(mag << lr_p, 0xFFFFFFFFu) >> lr_r;
    const uint64_t rnd = (rng() & 1) ? (rng() & 0xFFFFFFFFu) : ((q + (rng() % 5) - 2) & 0xFFFFFFFFu);
    check(w, p, lr_p, lr_r, rnd);
  }
  EXPECT_GT(checked, 1000000u);
}

TEST_F(RtlPrimitives, HardSigmoidExhaustive) {
  for (int32_t v = -32768; v < 32768; ++v) {
    m.hs_v_i = static_cast<uint16_t>(v);
    m.eval();
    ASSERT_EQ(static_cast<int32_t>(m.hs_y_o), hard_sigmoid(v)) << "v=" << v;
  }
}

/// Output weights of one neuron (the row under test) behind the engine's word interface.
class OneRow : public EpropWeights {
 public:
  void read(Matrix, uint32_t, uint32_t, int8_t* w) override { std::copy(row, row + kEpropLanes, w); }
  void write(Matrix, uint32_t, uint32_t, const int8_t*) override {}
  int8_t row[kEpropLanes] = {};
};

CoreConfig one_neuron_core(uint32_t readouts) {
  CoreConfig c;
  c.enabled = {1, 1, readouts};
  c.neuron.set("alpha", 0x8000);
  return c;
}

TEST_F(RtlPrimitives, PseudoDerivativeExhaustiveOverU) {
  std::mt19937_64 rng(2);
  OneRow row;
  for (int set = 0; set < 24; ++set) {
    CoreConfig cfg = one_neuron_core(1);
    if (set > 0) {  // set 0: the defaults (ReckOn's)
      for (auto& t : cfg.learning.h_thresholds) t = static_cast<int32_t>(rng() % 65536) - 32768;
      if (set % 2) std::sort(cfg.learning.h_thresholds.begin(), cfg.learning.h_thresholds.end());
      for (auto& l : cfg.learning.h_levels) l = static_cast<int32_t>(rng() % 32) - 16;
    }
    EpropEngine engine(cfg);
    uint64_t thr = 0, lvl = 0;
    for (int k = 0; k < 4; ++k) thr |= uint64_t{static_cast<uint16_t>(cfg.learning.h_thresholds[k])} << (16 * k);
    for (int k = 0; k < 5; ++k) lvl |= uint64_t{static_cast<uint32_t>(cfg.learning.h_levels[k]) & 31u} << (5 * k);
    m.pd_thr_i = thr;
    m.pd_level_i = static_cast<uint32_t>(lvl);
    for (int32_t u = -32768; u < 32768; ++u) {
      const int16_t us[1] = {static_cast<int16_t>(u)};
      engine.update(0, us, {0}, row);
      m.pd_u_i = static_cast<uint16_t>(u);
      m.eval();
      ASSERT_EQ(sext(m.pd_h_o, 5), engine.pseudo_derivatives()[0]) << "set " << set << " u=" << u;
    }
  }
}

TEST_F(RtlPrimitives, LearningSignalMatchesTheEngine) {
  // With the identity activation and no target, e_k = sat16(−v_k): any error row can be set.
  std::mt19937_64 rng(3);
  OneRow row;
  for (uint32_t shift = 0; shift < 16; ++shift) {
    CoreConfig cfg = one_neuron_core(16);
    cfg.learning.output_activation = OutputActivation::kIdentity;
    cfg.learning.learning_signal_shift = shift;
    EpropEngine engine(cfg);
    m.ls_shift_i = shift;
    for (int n = 0; n < 65536; ++n) {
      std::vector<int32_t> v(16);
      const int mode = n % 4;  // full range, small, extremes, sparse
      for (uint32_t k = 0; k < 16; ++k) {
        int32_t e = static_cast<int32_t>(rng() % 65535) - 32767;
        if (mode == 1) e = static_cast<int32_t>(rng() % 4097) - 2048;
        if (mode == 2) e = (rng() & 1) ? 32767 : -32767;
        if (mode == 3 && rng() % 4) e = 0;
        v[k] = -e;
        row.row[k] = static_cast<int8_t>(mode == 2 ? ((rng() & 1) ? 127 : -128) : static_cast<int>(rng() % 256) - 128);
      }
      const int16_t u[1] = {0};
      engine.update(-1, u, v, row);
      for (uint32_t k = 0; k < 16; ++k) {
        m.ls_e_i[k / 2] = (m.ls_e_i[k / 2] & ~(0xFFFFu << (16 * (k % 2)))) |
                          (uint32_t{static_cast<uint16_t>(engine.errors()[k])} << (16 * (k % 2)));
        m.ls_w_i[k / 4] = (m.ls_w_i[k / 4] & ~(0xFFu << (8 * (k % 4)))) |
                          (uint32_t{static_cast<uint8_t>(row.row[k])} << (8 * (k % 4)));
      }
      m.eval();
      ASSERT_EQ(static_cast<int16_t>(m.ls_l_o), engine.learning_signals()[0]) << "shift " << shift << " case " << n;
    }
  }
}

TEST_F(RtlPrimitives, TraceIncrementsExhaustiveAndAgainstTheEngine) {
  for (uint32_t shift = 0; shift <= 8; ++shift) {
    m.inc_shift_i = shift;
    for (uint32_t t = 0; t < 4096; ++t) {
      m.inc_trace_i = t;
      m.eval();
      ASSERT_EQ(m.inc12_o, std::min<uint32_t>(4095, t + (kTraceIncrement << shift))) << t << " " << shift;
      if (t < 1024) {
        ASSERT_EQ(m.inc10_o, std::min<uint32_t>(1023, t + (kTraceOutputIncrement << shift))) << t;
      }
    }
    // The engine's own increments, event by event up to saturation, through the RTL.
    CoreConfig cfg = one_neuron_core(1);
    cfg.learning.trace_shift_input = cfg.learning.trace_shift_recurrent = cfg.learning.trace_shift_output = shift;
    EpropEngine engine(cfg);
    for (int n = 0; n < 600; ++n) {
      const uint32_t in = engine.trace_input()[0], out = engine.trace_output()[0];
      engine.on_input_event(0);
      engine.on_spike(0);
      m.inc_trace_i = in;
      m.eval();
      ASSERT_EQ(m.inc12_o, engine.trace_input()[0]);
      m.inc_trace_i = out;
      m.eval();
      ASSERT_EQ(m.inc10_o, engine.trace_output()[0]);
    }
  }
}

TEST_F(RtlPrimitives, TraceDecaysMatchTheRounding) {
  const auto expect = [](uint32_t t, uint32_t f, bool round, uint32_t draw, int frac, uint32_t bits) {
    const int64_t p = int64_t{t} * f;
    const int64_t next = round ? fxp::round_stochastic(p, frac, draw) : p >> frac;
    return static_cast<uint32_t>(next & ((int64_t{1} << bits) - 1));
  };
  const auto run = [&](uint32_t t, uint32_t f, bool round, uint32_t draw) {
    m.dec_trace_i = t;
    m.dec_factor_i = f;
    m.dec_round_i = round;
    m.dec_draw_i = draw;
    m.eval();
  };
  uint64_t checked = 0;
  // Output trace (10 bits, kappa 1.7, 7-bit draws): exhaustive over trace, kappa 0..0x80 and draws.
  for (uint32_t t = 0; t < 1024; ++t)
    for (uint32_t f = 0; f <= 0x80; ++f) {
      run(t, f, false, 0);
      ASSERT_EQ(m.dec_kappa_o, expect(t, f, false, 0, 7, 10)) << t << " " << f;
      for (uint32_t d = 0; d < 128; d += (t % 8 == 0 ? 1 : 9)) {
        run(t, f, true, d);
        ASSERT_EQ(m.dec_kappa_o, expect(t, f, true, d, 7, 10)) << t << " " << f << " " << d;
        ++checked;
      }
    }
  // Input / recurrent traces (12 bits, alpha 1.15 up to 0x8FFF, 15-bit draws): corners exhaustive
  // over the trace, then random.
  for (uint32_t t = 0; t < 4096; ++t)
    for (uint32_t f : {0u, 1u, 0x4000u, 0x7FEFu, 0x7FFFu, 0x8000u, 0x8001u, 0x8FFFu})
      for (uint32_t d : {0u, 1u, 0x3FFFu, 0x7FFEu, 0x7FFFu}) {
        for (bool round : {false, true}) {
          run(t, f, round, d);
          ASSERT_EQ(m.dec_alpha_o, expect(t, f, round, d, 15, 12)) << t << " " << f << " " << d;
          ++checked;
        }
      }
  std::mt19937_64 rng(4);
  for (int n = 0; n < 1000000; ++n) {
    const uint32_t t = rng() % 4096, f = rng() % 0x9000, d = rng() % 0x8000;
    const bool round = rng() & 1;
    run(t, f, round, d);
    ASSERT_EQ(m.dec_alpha_o, expect(t, f, round, d, 15, 12)) << t << " " << f << " " << d;
    ++checked;
  }
  EXPECT_GT(checked, 2000000u);
}

TEST_F(RtlPrimitives, LfsrStreamsMatchStreamLfsr) {
  const uint64_t seeds[] = {0x1, 0x424242, 0x1FFFFFF, 0x0ABCDE, 0x7ABA, 0x1234567};
  for (uint64_t seed : seeds) {
    StreamLfsr w(reckon_weight_lfsr(), seed & 0x1FFFFFF), o(reckon_output_weight_lfsr(), seed & 0x3FFFFF),
        mem(reckon_membrane_lfsr(), seed & 0x7FFF), rd(reckon_readout_lfsr(), seed & 0x7FFF);
    m.lfsr_seed_value_i = static_cast<uint32_t>(seed & 0x1FFFFFF);
    m.lfsr_seed_i = 1;
    m.lfsr_advance_i = 0;
    m.clk_i = 1;
    m.eval();
    m.clk_i = 0;
    m.lfsr_seed_i = 0;
    m.eval();
    std::vector<uint64_t> bw(w.words()), bo(o.words());
    for (int n = 0; n < 20000; ++n) {
      ASSERT_EQ(m.lw_window_o, w.window()) << "seed " << seed << " advance " << n;
      ASSERT_EQ(m.lo_window_o, o.window()) << "seed " << seed << " advance " << n;
      ASSERT_EQ(m.lm_window_o, mem.window()) << "seed " << seed << " advance " << n;
      ASSERT_EQ(m.lr_window_o, rd.window()) << "seed " << seed << " advance " << n;
      w.advance_into(bw.data());
      o.advance_into(bo.data());
      for (size_t i = 0; i < 16; ++i) ASSERT_EQ(m.lw_bits_o[i], static_cast<uint32_t>(bw[i / 2] >> (32 * (i % 2)))) << n;
      for (size_t i = 0; i < 14; ++i) ASSERT_EQ(m.lo_bits_o[i], static_cast<uint32_t>(bo[i / 2] >> (32 * (i % 2)))) << n;
      ASSERT_EQ(m.lm_bits_o, mem.advance()) << n;
      ASSERT_EQ(m.lr_bits_o, rd.advance()) << n;
      m.lfsr_advance_i = 1;
      m.clk_i = 1;
      m.eval();
      m.clk_i = 0;
      m.eval();
    }
  }
}

}  // namespace
