// The `rtl` and `lockstep` learning backends (SPEC.md §6.7); see rtl_eprop_backend.h. Compiled once
// per Verilated model: NEUROCHIP_RTL_MODEL names its class, NEUROCHIP_RTL_MODEL_HEADER its header.
#include "wrapper/rtl_eprop_backend.h"

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstdio>
#include <memory>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include NEUROCHIP_RTL_MODEL_HEADER
#include "wrapper/rtl_eprop_engine.h"

namespace neurochip::rtl {
namespace {

using Engine = RtlEpropEngine<NEUROCHIP_RTL_MODEL>;
using Matrix = hw::EpropWeights::Matrix;
using Word = std::array<int8_t, hw::kEpropLanes>;

const char* const kMatrixNames[3] = {"input", "recurrent", "output"};

uint64_t word_key(Matrix m, uint32_t pre, uint32_t word) {
  return (uint64_t{static_cast<uint32_t>(m)} << 62) | (uint64_t{pre} << 31) | word;
}

class RtlBackend final : public hw::EpropBackend {
 public:
  explicit RtlBackend(const hw::CoreConfig& cfg) : rtl_(cfg) {}
  void begin_sample() override { rtl_.begin_sample(); }
  void decay(uint32_t words, bool update, const std::vector<uint16_t>& word_alphas) override {
    rtl_.decay(words, update, word_alphas);
  }
  void on_input_event(uint32_t i) override { rtl_.on_input_event(i); }
  void on_spike(uint32_t i) override { rtl_.on_spike(i); }
  uint64_t update(int32_t target, const int16_t* u, const std::vector<int32_t>& v, hw::EpropWeights& weights) override {
    rtl_.update(target, u, v, weights);
    return rtl_.last_cycles();
  }

 private:
  Engine rtl_;
};

/// The model's view of the weights in a lockstep EPROP: the core's SRAMs (every access counted
/// there), with the first value read of every word and every word written recorded.
class RecordingWeights final : public hw::EpropWeights {
 public:
  struct Write {
    uint32_t pre, word;
    Word w;
  };
  explicit RecordingWeights(hw::EpropWeights& sram) : sram_(sram) {}
  void read(Matrix m, uint32_t pre, uint32_t word, int8_t* w) override {
    sram_.read(m, pre, word, w);
    Word copy;
    std::copy(w, w + hw::kEpropLanes, copy.begin());
    reads_.emplace(word_key(m, pre, word), copy);
  }
  void write(Matrix m, uint32_t pre, uint32_t word, const int8_t* w) override {
    sram_.write(m, pre, word, w);
    Write rec{pre, word, {}};
    std::copy(w, w + hw::kEpropLanes, rec.w.begin());
    writes_[static_cast<size_t>(m)].push_back(rec);
  }
  const Word* first_read(Matrix m, uint32_t pre, uint32_t word) const {
    const auto it = reads_.find(word_key(m, pre, word));
    return it == reads_.end() ? nullptr : &it->second;
  }
  const std::vector<Write>& writes(Matrix m) const { return writes_[static_cast<size_t>(m)]; }

 private:
  hw::EpropWeights& sram_;
  std::unordered_map<uint64_t, Word> reads_;
  std::array<std::vector<Write>, 3> writes_;
};

/// STEP calls per waveform window: the window holds the RTL's signals from the STEP of the last
/// multiple of kWindowSteps timesteps to the divergence.
constexpr uint64_t kWindowSteps = 64;

class LockstepBackend final : public hw::EpropBackend {
 public:
  LockstepBackend(const hw::CoreConfig& cfg, std::string waveform)
      : cfg_(cfg),
        model_(cfg),
        rtl_(cfg),
        slots_(std::max(cfg.enabled.inputs, cfg.enabled.neurons)),
        posts_{cfg.enabled.neurons, cfg.enabled.neurons, cfg.enabled.readouts},
        cycles_(hw::EpropEngine::cycles(cfg, cfg.enabled.inputs, cfg.enabled.neurons)),
        waveform_(std::move(waveform)) {
  }
  ~LockstepBackend() override {
    // The window of a run that did not diverge is not needed; the runner takes a diverging one.
    rtl_.close_waveform();
    if (!waveform_.empty() && !diverged_) std::remove(waveform_.c_str());
  }

  void begin_sample() override {
    model_.begin_sample();
    rtl_.begin_sample();
    for (uint32_t i = 0; i < slots_; ++i) compare_traces(i, -1);
  }
  void decay(uint32_t words, bool update, const std::vector<uint16_t>& word_alphas) override {
    // STEP is a core's first learning call of a timestep: every kWindowSteps of them the waveform
    // window starts again (a bounded file; the VCD dump costs about 40 % of the RTL's time).
    if (!waveform_.empty() && steps_++ % kWindowSteps == 0) rtl_.open_waveform(waveform_);
    model_.decay(words, update, word_alphas);
    rtl_.decay(words, update, word_alphas);
    const uint32_t per_word = cfg_.memory.neurons_per_word;
    for (uint32_t i = 0; i < slots_; ++i) compare_traces(i, i / per_word);
    if (cfg_.learning.lockstep_cycles) compare_cycles(words + 1, "decay");
  }
  void on_input_event(uint32_t i) override {
    model_.on_input_event(i);
    rtl_.on_input_event(i);
    compare_traces(i, -1);
    if (cfg_.learning.lockstep_cycles) compare_cycles(1, "trace increment");
  }
  void on_spike(uint32_t i) override {
    model_.on_spike(i);
    rtl_.on_spike(i);
    compare_traces(i, -1);
    if (cfg_.learning.lockstep_cycles) compare_cycles(1, "trace increment");
  }
  uint64_t update(int32_t target, const int16_t* u, const std::vector<int32_t>& v, hw::EpropWeights& weights) override {
    RecordingWeights recorded(weights);
    model_.update(target, u, v, recorded);
    Replay replay(*this, recorded);
    rtl_.update(target, u, v, replay);
    for (Matrix m : {Matrix::kInput, Matrix::kRecurrent, Matrix::kOutput}) {
      const size_t k = static_cast<size_t>(m);
      if (replay.written[k] != recorded.writes(m).size())
        diverge(std::string("words_written_") + kMatrixNames[k], -1, -1,
                static_cast<int64_t>(recorded.writes(m).size()), static_cast<int64_t>(replay.written[k]),
                static_cast<int64_t>(rtl_.call_cycles()));
      if (model_.weight_lfsr(m).window() != rtl_.weight_lfsr_window(m))
        diverge(std::string("weight_lfsr_") + kMatrixNames[k], -1, -1,
                static_cast<int64_t>(model_.weight_lfsr(m).window()),
                static_cast<int64_t>(rtl_.weight_lfsr_window(m)), static_cast<int64_t>(rtl_.call_cycles()));
    }
    if (cfg_.learning.lockstep_cycles && rtl_.last_cycles() != cycles_)
      diverge("cycles", -1, -1, static_cast<int64_t>(cycles_), static_cast<int64_t>(rtl_.last_cycles()),
              static_cast<int64_t>(rtl_.call_cycles()));
    return cycles_;
  }

 private:
  /// The RTL's view of the weights in a lockstep EPROP: a word reads what the model read of it (the
  /// core's SRAMs already hold the model's writes); a word written is compared with the model's.
  class Replay final : public hw::EpropWeights {
   public:
    Replay(LockstepBackend& owner, const RecordingWeights& model) : owner_(owner), model_(model) {}
    void read(Matrix m, uint32_t pre, uint32_t word, int8_t* w) override {
      const Word* value = model_.first_read(m, pre, word);
      if (!value)
        owner_.diverge(std::string("weight_read_") + kMatrixNames[static_cast<size_t>(m)], pre,
                       int64_t{word} * hw::kEpropLanes, 0, 1, owner_.cycle_in_call());
      std::copy(value->begin(), value->end(), w);
    }
    void write(Matrix m, uint32_t pre, uint32_t word, const int8_t* w) override {
      const size_t k = static_cast<size_t>(m);
      const std::vector<RecordingWeights::Write>& expected = model_.writes(m);
      const std::string field = std::string("weight_") + kMatrixNames[k];
      const uint64_t n = written[k]++;
      if (n >= expected.size())
        owner_.diverge("words_written_" + std::string(kMatrixNames[k]), pre, int64_t{word} * hw::kEpropLanes,
                       static_cast<int64_t>(expected.size()), static_cast<int64_t>(n + 1), owner_.cycle_in_call());
      const RecordingWeights::Write& want = expected[n];
      if (want.pre != pre || want.word != word)
        owner_.diverge(field + "_address", pre, int64_t{word} * hw::kEpropLanes,
                       int64_t{want.pre} * 65536 + want.word, int64_t{pre} * 65536 + word, owner_.cycle_in_call());
      for (uint32_t l = 0; l < hw::kEpropLanes; ++l) {
        const uint32_t post = word * hw::kEpropLanes + l;
        if (post < owner_.posts_[k] && want.w[l] != w[l])
          owner_.diverge(field, pre, post, want.w[l], w[l], owner_.cycle_in_call());
      }
    }
    std::array<uint64_t, 3> written{};

   private:
    LockstepBackend& owner_;
    const RecordingWeights& model_;
  };

  /// The cycle of the call now being clocked (0: its first).
  int64_t cycle_in_call() const { return static_cast<int64_t>(rtl_.call_cycles()) - 1; }

  void compare_traces(uint32_t i, int64_t phase_cycle) {
    const uint16_t model[3] = {model_.trace_input()[i], model_.trace_recurrent()[i], model_.trace_output()[i]};
    const uint16_t rtl[3] = {rtl_.trace_input()[i], rtl_.trace_recurrent()[i], rtl_.trace_output()[i]};
    static const char* const names[3] = {"trace_input", "trace_recurrent", "trace_output"};
    for (int k = 0; k < 3; ++k)
      if (model[k] != rtl[k]) diverge(names[k], i, -1, model[k], rtl[k], phase_cycle);
  }
  void compare_cycles(uint64_t want, const char* call) {
    if (rtl_.call_cycles() != want)
      diverge(std::string("cycles_") + call, -1, -1, static_cast<int64_t>(want),
              static_cast<int64_t>(rtl_.call_cycles()), static_cast<int64_t>(rtl_.call_cycles()) - 1);
  }
  [[noreturn]] void diverge(const std::string& field, int64_t index, int64_t post, int64_t model, int64_t rtl,
                            int64_t phase_cycle) {
    hw::LearningDivergence d("the e-prop engine RTL and the C++ model disagree on " + field);
    d.field = field;
    d.index = index;
    d.post = post;
    d.model_value = model;
    d.rtl_value = rtl;
    d.phase_cycle = phase_cycle;
    d.rtl_cycle = rtl_.total_cycles() == 0 ? 0 : rtl_.total_cycles() - 1;
    rtl_.close_waveform();
    d.waveform = waveform_;
    diverged_ = true;
    throw d;
  }

  const hw::CoreConfig& cfg_;
  hw::EpropEngine model_;
  Engine rtl_;
  const uint32_t slots_;
  const std::array<uint32_t, 3> posts_;
  const uint64_t cycles_;
  const std::string waveform_;
  uint64_t steps_ = 0;  ///< STEP calls so far
  bool diverged_ = false;
};

}  // namespace

uint32_t rtl_engine_slots() { return NEUROCHIP_RTL_SLOTS; }

bool rtl_engine_faulty() {
#ifdef NEUROCHIP_RTL_FAULTY
  return true;
#else
  return false;
#endif
}

std::string waveform_scratch_name(uint32_t core_index) {
  return ".rtl_window.vcd.core" + std::to_string(core_index) + ".tmp";
}

hw::EpropBackendFactory make_learning_backends(const RtlBackendOptions& options) {
  return [options](const hw::CoreConfig& cfg, uint32_t core_index) -> std::unique_ptr<hw::EpropBackend> {
    switch (cfg.learning.backend) {
      case hw::LearningBackend::kRtl:
        return std::make_unique<RtlBackend>(cfg);
      case hw::LearningBackend::kLockstep:
        return std::make_unique<LockstepBackend>(
            cfg, options.waveform_dir.empty() ? std::string()
                                              : options.waveform_dir + "/" + waveform_scratch_name(core_index));
      case hw::LearningBackend::kModel:
        break;
    }
    return std::make_unique<hw::EpropModelBackend>(cfg);
  };
}

}  // namespace neurochip::rtl
