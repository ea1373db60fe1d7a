// The e-prop learning engine of a core (SPEC.md §6): the three presynaptic traces per index with
// their decay (§6.1 STEP, rounding §2.3 with per-lane trace LFSRs §2.8) and increments (§6.1 PROP),
// and the EPROP phase (§6.2-§6.5): the output error, then per group of 16 post neurons phase A
// (learning signal, pseudo-derivative, regulariser trace and output-weight row update, 2 cycles per
// post) and phase B (the input and recurrent weight words of every presynaptic index, 2 cycles per
// index), ceil(R / 16) · (2·16 + 2·max(I, R)) cycles in all. Weights move by LFSR stochastic rounding.
//
// Structural sizes are parameters (N_SLOTS trace slots, which bound I and R); every runtime knob is a
// cfg_*_i input held stable by the host. The traces live in the engine's register file (ReckOn keeps
// them in the neuron SRAM beside u); the membranes u come from the neuron-SRAM read port, the weights
// from three synchronous weight SRAMs (read data one cycle after the read). Commands are taken in
// IDLE only: seed_i, clear_i, inc_input_i / inc_spike_i (one cycle), decay_i (one cycle per neuron
// word) and eprop_i; busy_o is high while a decay or an EPROP runs.
module eprop_engine #(
  parameter int unsigned N_SLOTS = 256,
  parameter int unsigned TRACE_LANES = eprop_pkg::MaxTraceLanes,
  localparam int unsigned IW = (N_SLOTS > 1) ? $clog2(N_SLOTS) : 1,  // an index
  localparam int unsigned CW = $clog2(N_SLOTS + 1),                  // a count of indices
  localparam int unsigned NG = (N_SLOTS + eprop_pkg::Lanes - 1) / eprop_pkg::Lanes,
  localparam int unsigned GW = (NG > 1) ? $clog2(NG) : 1             // a group (weight word)
) (
  input  logic                  clk_i,
  input  logic                  rst_ni,
  // Configuration
  input  logic [CW-1:0]         cfg_inputs_i,        // I
  input  logic [CW-1:0]         cfg_neurons_i,       // R
  input  logic [4:0]            cfg_readouts_i,      // O, at most 16
  input  logic [2:0]            cfg_lanes_i,         // neurons per neuron-SRAM word, 1..TRACE_LANES
  input  logic                  cfg_update_input_i,
  input  logic                  cfg_update_recurrent_i,
  input  logic                  cfg_update_output_i,
  input  logic                  cfg_stochastic_i,    // rounding.mode: stochastic
  input  logic [7:0]            cfg_kappa_i,
  input  logic [3:0]            cfg_shift_in_i,      // trace_shift_input
  input  logic [3:0]            cfg_shift_rec_i,
  input  logic [3:0]            cfg_shift_out_i,
  input  logic [3:0]            cfg_lsig_shift_i,    // learning_signal_shift
  input  logic                  cfg_identity_i,      // output_activation: identity
  input  logic [63:0]           cfg_h_thr_i,         // h_threshold_k at [16k +: 16]
  input  logic [24:0]           cfg_h_level_i,       // h_level_k at [5k +: 5]
  input  logic [4:0]            cfg_rate_in_p_i,
  input  logic [4:0]            cfg_rate_in_r_i,
  input  logic [4:0]            cfg_rate_rec_p_i,
  input  logic [4:0]            cfg_rate_rec_r_i,
  input  logic [4:0]            cfg_rate_out_p_i,
  input  logic [4:0]            cfg_rate_out_r_i,
  input  logic                  cfg_reg_mul_i,       // regulariser: multiplicative
  input  logic                  cfg_reg_add_i,       // regulariser: additive
  input  logic [11:0]           cfg_reg_f0_i,
  input  logic [4:0]            cfg_reg_in_p_i,
  input  logic [4:0]            cfg_reg_in_r_i,
  input  logic [4:0]            cfg_reg_rec_p_i,
  input  logic [4:0]            cfg_reg_rec_r_i,
  input  logic [3:0]            cfg_reg_mul_shift_i,
  input  logic [eprop_pkg::WLfsrWidth-1:0] cfg_seed_in_i,
  input  logic [eprop_pkg::WLfsrWidth-1:0] cfg_seed_rec_i,
  input  logic [eprop_pkg::OLfsrWidth-1:0] cfg_seed_out_i,
  input  logic [TRACE_LANES*eprop_pkg::SeedLaneBits-1:0] cfg_seed_tin_i,
  input  logic [TRACE_LANES*eprop_pkg::SeedLaneBits-1:0] cfg_seed_trec_i,
  input  logic [TRACE_LANES*eprop_pkg::SeedLaneBits-1:0] cfg_seed_tout_i,
  // Commands
  input  logic                  seed_i,
  input  logic                  clear_i,
  input  logic                  inc_input_i,
  input  logic                  inc_spike_i,
  input  logic [IW-1:0]         inc_idx_i,
  input  logic                  decay_i,
  input  logic [CW-1:0]         decay_words_i,
  input  logic                  decay_update_i,
  output logic [CW-1:0]         decay_word_o,        // the word decayed in this cycle
  input  logic [15:0]           decay_alpha_i,       // its alpha
  input  logic                  eprop_i,
  input  logic [4:0]            target_i,
  input  logic [255:0]          readout_v_i,         // v_k at [16k +: 16]
  output logic                  busy_o,
  // Neuron SRAM read (u of post neuron nrn_idx_o, one cycle later)
  output logic                  nrn_re_o,
  output logic [IW-1:0]         nrn_idx_o,
  input  logic [15:0]           nrn_u_i,
  // Weight SRAMs: word {pre, word}; read data one cycle after the read
  output logic                  win_re_o,
  output logic                  win_we_o,
  output logic [IW-1:0]         win_pre_o,
  output logic [GW-1:0]         win_word_o,
  output logic [127:0]          win_wdata_o,
  input  logic [127:0]          win_rdata_i,
  output logic                  wrec_re_o,
  output logic                  wrec_we_o,
  output logic [IW-1:0]         wrec_pre_o,
  output logic [GW-1:0]         wrec_word_o,
  output logic [127:0]          wrec_wdata_o,
  input  logic [127:0]          wrec_rdata_i,
  output logic                  wout_re_o,
  output logic                  wout_we_o,
  output logic [IW-1:0]         wout_pre_o,
  output logic [127:0]          wout_wdata_o,
  input  logic [127:0]          wout_rdata_i,
  // Trace read-back
  input  logic [IW-1:0]         trace_idx_i,
  output logic [11:0]           trace_in_o,
  output logic [11:0]           trace_rec_o,
  output logic [9:0]            trace_out_o,
  // Weight LFSR windows (for comparison with the model's LFSR state)
  output logic [eprop_pkg::WLfsrWidth-1:0] lfsr_in_o,
  output logic [eprop_pkg::WLfsrWidth-1:0] lfsr_rec_o,
  output logic [eprop_pkg::OLfsrWidth-1:0] lfsr_out_o
);
  localparam int unsigned L = eprop_pkg::Lanes;
  localparam int unsigned WBits = eprop_pkg::WeightBits;
  localparam int unsigned WB = eprop_pkg::UpdateBits;
  localparam int unsigned OB = eprop_pkg::OutputUpdateBits;
  localparam int unsigned SB = eprop_pkg::SeedLaneBits;
  localparam int unsigned DW = CW + 3;  // a slot of a decayed word (word · lanes + lane)
  localparam int unsigned PW = CW + 5;  // a post neuron 16 g + l

  typedef enum logic [1:0] {
    StIdle,
    StDecay,
    StPhaseA,
    StPhaseB
  } state_e;

  state_e state_d, state_q;
  logic [GW-1:0] g_d, g_q;          // group
  logic [3:0]    l_d, l_q;          // phase A lane
  logic [IW-1:0] i_d, i_q;          // phase B presynaptic index
  logic          sub_d, sub_q;      // first (read) or second (write) cycle of a pair
  logic [CW-1:0] w_d, w_q;          // decay word
  logic [CW-1:0] dwords_d, dwords_q;
  logic          dupdate_d, dupdate_q;
  logic any_rho_d, any_rho_q;
  // Per-lane values, lane k at [width·k +: width]: errors, learning signals, h, rho.
  logic [L*16-1:0] e_d, e_q;
  logic [L*16-1:0] lsig_d, lsig_q;
  logic [L*5-1:0]  h_d, h_q;
  logic [L*12-1:0] rho_d, rho_q;

  // The trace file, slot s at [width·s +: width].
  logic [N_SLOTS*12-1:0] tin_d, tin_q;
  logic [N_SLOTS*12-1:0] trec_d, trec_q;
  logic [N_SLOTS*10-1:0] tout_d, tout_q;

  // ---------------------------------------------------------------- configuration-derived values
  logic [CW-1:0] n_pre;
  assign n_pre = (cfg_inputs_i > cfg_neurons_i) ? cfg_inputs_i : cfg_neurons_i;
  logic regularize;
  assign regularize = cfg_reg_mul_i || cfg_reg_add_i;
  logic idle;
  assign idle = state_q == StIdle;

  // ---------------------------------------------------------------- output error (§6.3)
  logic [L*12-1:0] sigmoid;
  for (genvar k = 0; k < L; k++) begin : g_error
    eprop_hard_sigmoid u_sigmoid (
      .v_i(readout_v_i[16*k +: 16]),
      .y_o(sigmoid[12*k +: 12])
    );
    logic signed [17:0] diff;
    always_comb begin
      diff = ((target_i == 5'(k)) ? 18'sd2048 : 18'sd0)
           - (cfg_identity_i ? 18'($signed(readout_v_i[16*k +: 16])) : 18'($signed({1'b0, sigmoid[12*k +: 12]})));
      if (5'(k) >= cfg_readouts_i) begin
        e_d[16*k +: 16] = 16'd0;
      end else if (diff > 18'sd32767) begin
        e_d[16*k +: 16] = 16'h7fff;
      end else if (diff < -18'sd32768) begin
        e_d[16*k +: 16] = 16'h8000;
      end else begin
        e_d[16*k +: 16] = diff[15:0];
      end
    end
  end

  // ---------------------------------------------------------------- LFSRs
  logic seed_fire;
  assign seed_fire = idle && seed_i;
  logic adv_in, adv_rec, adv_out;
  logic [L*WB-1:0] bits_in, bits_rec;
  logic [eprop_pkg::OLfsrAdvance-1:0] bits_out;

  eprop_lfsr #(
    .W(eprop_pkg::WLfsrWidth), .K(eprop_pkg::WLfsrAdvance), .TAPS(eprop_pkg::WLfsrTaps),
    .LOAD_MAP(eprop_pkg::WLfsrLoadMap)
  ) u_lfsr_in (
    .clk_i, .rst_ni, .seed_i(seed_fire), .seed_value_i(cfg_seed_in_i), .advance_i(adv_in),
    .bits_o(bits_in), .window_o(lfsr_in_o)
  );
  eprop_lfsr #(
    .W(eprop_pkg::WLfsrWidth), .K(eprop_pkg::WLfsrAdvance), .TAPS(eprop_pkg::WLfsrTaps),
    .LOAD_MAP(eprop_pkg::WLfsrLoadMap)
  ) u_lfsr_rec (
    .clk_i, .rst_ni, .seed_i(seed_fire), .seed_value_i(cfg_seed_rec_i), .advance_i(adv_rec),
    .bits_o(bits_rec), .window_o(lfsr_rec_o)
  );
  eprop_lfsr #(
    .W(eprop_pkg::OLfsrWidth), .K(eprop_pkg::OLfsrAdvance), .TAPS(eprop_pkg::OLfsrTaps),
    .LOAD_MAP(eprop_pkg::OLfsrLoadMap)
  ) u_lfsr_out (
    .clk_i, .rst_ni, .seed_i(seed_fire), .seed_value_i(cfg_seed_out_i), .advance_i(adv_out),
    .bits_o(bits_out), .window_o(lfsr_out_o)
  );

  // Trace-decay LFSRs: per lane one for each trace (§6.1).
  logic decay_fire;
  assign decay_fire = state_q == StDecay;
  logic round_alpha, round_kappa;
  assign round_alpha = cfg_stochastic_i && (decay_alpha_i != 16'(eprop_pkg::AlphaOne));
  assign round_kappa = cfg_stochastic_i && (cfg_kappa_i != 8'(eprop_pkg::KappaOne));
  localparam int unsigned MK = eprop_pkg::MLfsrAdvance;
  localparam int unsigned RK = eprop_pkg::RLfsrAdvance;
  logic [TRACE_LANES*MK-1:0] draw_tin, draw_trec;  // lane l at [k·l +: k]
  logic [TRACE_LANES*RK-1:0] draw_tout;
  logic [TRACE_LANES-1:0] lane_on;
  for (genvar l = 0; l < TRACE_LANES; l++) begin : g_trace_lfsr
    assign lane_on[l] = 3'(l) < cfg_lanes_i;
    logic [eprop_pkg::MLfsrWidth-1:0] unused_win_in, unused_win_rec;
    logic [eprop_pkg::RLfsrWidth-1:0] unused_win_out;
    eprop_lfsr #(
      .W(eprop_pkg::MLfsrWidth), .K(eprop_pkg::MLfsrAdvance), .TAPS(eprop_pkg::MLfsrTaps),
      .LOAD_MAP(eprop_pkg::MLfsrLoadMap)
    ) u_tin (
      .clk_i, .rst_ni, .seed_i(seed_fire), .seed_value_i(cfg_seed_tin_i[SB*l +: SB]),
      .advance_i(decay_fire && lane_on[l] && round_alpha), .bits_o(draw_tin[MK*l +: MK]), .window_o(unused_win_in)
    );
    eprop_lfsr #(
      .W(eprop_pkg::MLfsrWidth), .K(eprop_pkg::MLfsrAdvance), .TAPS(eprop_pkg::MLfsrTaps),
      .LOAD_MAP(eprop_pkg::MLfsrLoadMap)
    ) u_trec (
      .clk_i, .rst_ni, .seed_i(seed_fire), .seed_value_i(cfg_seed_trec_i[SB*l +: SB]),
      .advance_i(decay_fire && lane_on[l] && round_alpha), .bits_o(draw_trec[MK*l +: MK]), .window_o(unused_win_rec)
    );
    eprop_lfsr #(
      .W(eprop_pkg::RLfsrWidth), .K(eprop_pkg::RLfsrAdvance), .TAPS(eprop_pkg::RLfsrTaps),
      .LOAD_MAP(eprop_pkg::RLfsrLoadMap)
    ) u_tout (
      .clk_i, .rst_ni, .seed_i(seed_fire), .seed_value_i(cfg_seed_tout_i[SB*l +: SB]),
      .advance_i(decay_fire && lane_on[l] && round_kappa), .bits_o(draw_tout[RK*l +: RK]), .window_o(unused_win_out)
    );
  end

  // ---------------------------------------------------------------- trace decay and increments
  logic [TRACE_LANES*DW-1:0] dslot;   // slot of lane l in the decayed word, at [DW·l +: DW]
  logic [TRACE_LANES-1:0]    dwrite;
  logic [TRACE_LANES*12-1:0] tin_dec, trec_dec;
  logic [TRACE_LANES*10-1:0] tout_dec;
  for (genvar l = 0; l < TRACE_LANES; l++) begin : g_decay
    assign dslot[DW*l +: DW] = DW'(w_q) * DW'(cfg_lanes_i) + DW'(l);
    assign dwrite[l] = decay_fire && dupdate_q && lane_on[l] && (dslot[DW*l +: DW] < DW'(n_pre));
    logic [IW-1:0] s;
    assign s = dslot[DW*l +: IW];
    eprop_trace_decay #(.BITS(eprop_pkg::TraceInBits), .FBITS(16), .FRAC(eprop_pkg::AlphaFracBits)) u_in (
      .trace_i(tin_q[12*s +: 12]), .factor_i(decay_alpha_i), .round_i(round_alpha), .draw_i(draw_tin[MK*l +: MK]),
      .trace_o(tin_dec[12*l +: 12])
    );
    eprop_trace_decay #(.BITS(eprop_pkg::TraceRecBits), .FBITS(16), .FRAC(eprop_pkg::AlphaFracBits)) u_rec (
      .trace_i(trec_q[12*s +: 12]), .factor_i(decay_alpha_i), .round_i(round_alpha), .draw_i(draw_trec[MK*l +: MK]),
      .trace_o(trec_dec[12*l +: 12])
    );
    eprop_trace_decay #(.BITS(eprop_pkg::TraceOutBits), .FBITS(8), .FRAC(eprop_pkg::KappaFracBits)) u_out (
      .trace_i(tout_q[10*s +: 10]), .factor_i(cfg_kappa_i), .round_i(round_kappa), .draw_i(draw_tout[RK*l +: RK]),
      .trace_o(tout_dec[10*l +: 10])
    );
  end
  assign decay_word_o = w_q;

  logic [11:0] tin_inc, trec_inc;
  logic [9:0]  tout_inc;
  eprop_trace_inc #(.BITS(eprop_pkg::TraceInBits), .INC(eprop_pkg::TraceInc)) u_inc_in (
    .trace_i(tin_q[12*inc_idx_i +: 12]), .shift_i(cfg_shift_in_i), .trace_o(tin_inc)
  );
  eprop_trace_inc #(.BITS(eprop_pkg::TraceRecBits), .INC(eprop_pkg::TraceInc)) u_inc_rec (
    .trace_i(trec_q[12*inc_idx_i +: 12]), .shift_i(cfg_shift_rec_i), .trace_o(trec_inc)
  );
  eprop_trace_inc #(.BITS(eprop_pkg::TraceOutBits), .INC(eprop_pkg::TraceOutInc)) u_inc_out (
    .trace_i(tout_q[10*inc_idx_i +: 10]), .shift_i(cfg_shift_out_i), .trace_o(tout_inc)
  );

  always_comb begin
    tin_d = tin_q;
    trec_d = trec_q;
    tout_d = tout_q;
    if (idle && clear_i) begin
      tin_d = '0;
      trec_d = '0;
      tout_d = '0;
    end else begin
      if (idle && inc_input_i) begin
        tin_d[12*inc_idx_i +: 12] = tin_inc;
      end
      if (idle && inc_spike_i) begin
        trec_d[12*inc_idx_i +: 12] = trec_inc;
        tout_d[10*inc_idx_i +: 10] = tout_inc;
      end
      for (int unsigned l = 0; l < TRACE_LANES; l++) begin
        if (dwrite[l]) begin
          tin_d[12*dslot[DW*l +: IW] +: 12] = tin_dec[12*l +: 12];
          trec_d[12*dslot[DW*l +: IW] +: 12] = trec_dec[12*l +: 12];
          tout_d[10*dslot[DW*l +: IW] +: 10] = tout_dec[10*l +: 10];
        end
      end
    end
  end

  // The trace file is a memory: no reset (clear_i zeroes it at a sample's start).
  always_ff @(posedge clk_i) begin
    tin_q <= tin_d;
    trec_q <= trec_d;
    tout_q <= tout_d;
  end

  assign trace_in_o = tin_q[12*trace_idx_i +: 12];
  assign trace_rec_o = trec_q[12*trace_idx_i +: 12];
  assign trace_out_o = tout_q[10*trace_idx_i +: 10];

  // ---------------------------------------------------------------- phase A (§6.2)
  logic [PW-1:0] post;
  logic          post_valid;
  logic [IW-1:0] post_idx;
  assign post = PW'({g_q, l_q});
  assign post_valid = post < PW'(cfg_neurons_i);
  assign post_idx = post[IW-1:0];

  logic signed [15:0] lsig_new;
  logic signed [4:0]  h_new;
  logic        [11:0] rho_new, rec_used_post;
  logic        [9:0]  out_used;
  eprop_learn_signal u_lsig (
    .e_i(e_q), .w_i(wout_rdata_i), .shift_i(cfg_lsig_shift_i), .l_o(lsig_new)
  );
  eprop_pseudo_deriv u_h (
    .u_i(nrn_u_i), .thr_i(cfg_h_thr_i), .level_i(cfg_h_level_i), .h_o(h_new)
  );
  assign rec_used_post = trec_q[12*post_idx +: 12] >> cfg_shift_rec_i;
  assign rho_new = (regularize && post_valid && rec_used_post > cfg_reg_f0_i) ? rec_used_post - cfg_reg_f0_i : '0;
  assign out_used = tout_q[10*post_idx +: 10] >> cfg_shift_out_i;

  logic [127:0] wout_new;
  for (genvar k = 0; k < L; k++) begin : g_out_update
    logic signed [OB-1:0] p;
    logic signed [7:0]    w;
    assign p = OB'($signed(e_q[16*k +: 16])) * OB'($signed({1'b0, out_used}));
    eprop_stoch_update #(.W(OB)) u_upd (
      .w_i(wout_rdata_i[WBits*k +: WBits]), .p_i(p), .lr_p_i(cfg_rate_out_p_i), .lr_r_i(cfg_rate_out_r_i),
      .rnd_i(bits_out[OB*k +: OB]), .w_o(w)
    );
    assign wout_new[WBits*k +: WBits] = (5'(k) < cfg_readouts_i) ? w : wout_rdata_i[WBits*k +: WBits];
  end
  logic out_write;
  assign out_write = state_q == StPhaseA && sub_q && post_valid && cfg_update_output_i && out_used != '0;

  // ---------------------------------------------------------------- phase B (§6.2)
  logic [11:0] t_in, t_rec;
  logic        in_do, rec_do;
  assign t_in = tin_q[12*i_q +: 12] >> cfg_shift_in_i;
  assign t_rec = trec_q[12*i_q +: 12] >> cfg_shift_rec_i;
  assign in_do = state_q == StPhaseB && cfg_update_input_i && (CW'(i_q) < cfg_inputs_i)
                 && (t_in != '0 || any_rho_q);
  assign rec_do = state_q == StPhaseB && cfg_update_recurrent_i && (CW'(i_q) < cfg_neurons_i)
                  && (t_rec != '0 || any_rho_q);

  logic [127:0] win_new, wrec_new;
  for (genvar l = 0; l < L; l++) begin : g_word_update
    logic [PW-1:0] j;
    logic          j_valid;
    assign j = PW'({g_q, 4'(l)});
    assign j_valid = j < PW'(cfg_neurons_i);
    logic signed [WB-1:0] p_in, p_rec;
    logic signed [7:0]    w_in, w_rec;
    eprop_update_value u_p_in (
      .l_i(lsig_q[16*l +: 16]), .t_i(t_in), .h_i(h_q[5*l +: 5]), .rho_i(rho_q[12*l +: 12]), .mul_en_i(cfg_reg_mul_i),
      .add_en_i(cfg_reg_add_i), .mul_shift_i(cfg_reg_mul_shift_i), .k_p_i(cfg_reg_in_p_i),
      .k_r_i(cfg_reg_in_r_i), .p_o(p_in)
    );
    eprop_update_value u_p_rec (
      .l_i(lsig_q[16*l +: 16]), .t_i(t_rec), .h_i(h_q[5*l +: 5]), .rho_i(rho_q[12*l +: 12]), .mul_en_i(cfg_reg_mul_i),
      .add_en_i(cfg_reg_add_i), .mul_shift_i(cfg_reg_mul_shift_i), .k_p_i(cfg_reg_rec_p_i),
      .k_r_i(cfg_reg_rec_r_i), .p_o(p_rec)
    );
    eprop_stoch_update #(.W(WB)) u_upd_in (
      .w_i(win_rdata_i[WBits*l +: WBits]), .p_i(p_in), .lr_p_i(cfg_rate_in_p_i), .lr_r_i(cfg_rate_in_r_i),
      .rnd_i(bits_in[WB*l +: WB]), .w_o(w_in)
    );
    eprop_stoch_update #(.W(WB)) u_upd_rec (
      .w_i(wrec_rdata_i[WBits*l +: WBits]), .p_i(p_rec), .lr_p_i(cfg_rate_rec_p_i), .lr_r_i(cfg_rate_rec_r_i),
      .rnd_i(bits_rec[WB*l +: WB]), .w_o(w_rec)
    );
    assign win_new[WBits*l +: WBits] = j_valid ? w_in : win_rdata_i[WBits*l +: WBits];
    // The self-connection W_rec[i][i] is forced to 0.
    assign wrec_new[WBits*l +: WBits] = !j_valid ? wrec_rdata_i[WBits*l +: WBits] : ((j == PW'(i_q)) ? 8'd0 : w_rec);
  end

  // ---------------------------------------------------------------- memory ports
  always_comb begin
    nrn_re_o = 1'b0;
    nrn_idx_o = '0;
    wout_re_o = 1'b0;
    wout_we_o = 1'b0;
    wout_pre_o = post_idx;
    wout_wdata_o = wout_new;
    win_re_o = 1'b0;
    win_we_o = 1'b0;
    wrec_re_o = 1'b0;
    wrec_we_o = 1'b0;
    win_pre_o = i_q;
    win_word_o = g_q;
    win_wdata_o = win_new;
    wrec_pre_o = i_q;
    wrec_word_o = g_q;
    wrec_wdata_o = wrec_new;
    if (state_q == StPhaseA && !sub_q && post_valid) begin
      nrn_re_o = 1'b1;
      nrn_idx_o = post_idx;
      wout_re_o = 1'b1;
    end
    wout_we_o = out_write;
    if (state_q == StPhaseB && !sub_q) begin
      nrn_re_o = 1'b1;
      nrn_idx_o = i_q;
      win_re_o = in_do;
      wrec_re_o = rec_do;
    end
    if (state_q == StPhaseB && sub_q) begin
      win_we_o = in_do;
      wrec_we_o = rec_do;
    end
  end
  assign adv_out = out_write;
  assign adv_in = state_q == StPhaseB && sub_q && in_do;
  assign adv_rec = state_q == StPhaseB && sub_q && rec_do;

  // ---------------------------------------------------------------- control
  always_comb begin
    state_d = state_q;
    g_d = g_q;
    l_d = l_q;
    i_d = i_q;
    sub_d = sub_q;
    w_d = w_q;
    dwords_d = dwords_q;
    dupdate_d = dupdate_q;
    any_rho_d = any_rho_q;
    lsig_d = lsig_q;
    h_d = h_q;
    rho_d = rho_q;
    unique case (state_q)
      StIdle: begin
        if (decay_i && decay_words_i != '0) begin
          state_d = StDecay;
          w_d = '0;
          dwords_d = decay_words_i;
          dupdate_d = decay_update_i;
        end else if (eprop_i && cfg_neurons_i != '0) begin
          state_d = StPhaseA;
          g_d = '0;
          l_d = '0;
          sub_d = 1'b0;
          any_rho_d = 1'b0;
        end
      end
      StDecay: begin
        w_d = w_q + 1'b1;
        if (w_d == dwords_q) begin
          state_d = StIdle;
        end
      end
      StPhaseA: begin
        sub_d = !sub_q;
        if (sub_q) begin
          lsig_d[16*l_q +: 16] = post_valid ? lsig_new : 16'd0;
          h_d[5*l_q +: 5] = post_valid ? h_new : 5'd0;
          rho_d[12*l_q +: 12] = rho_new;
          any_rho_d = any_rho_q || (rho_new != '0);
          l_d = l_q + 1'b1;
          if (l_q == 4'(L - 1)) begin
            state_d = StPhaseB;
            i_d = '0;
          end
        end
      end
      StPhaseB: begin
        sub_d = !sub_q;
        if (sub_q) begin
          i_d = i_q + 1'b1;
          if (CW'(i_q) == n_pre - 1'b1) begin
            if (((PW'(g_q) + 1'b1) << 4) < PW'(cfg_neurons_i)) begin
              state_d = StPhaseA;
              g_d = g_q + 1'b1;
              l_d = '0;
              any_rho_d = 1'b0;
            end else begin
              state_d = StIdle;
            end
          end
        end
      end
      default: state_d = StIdle;
    endcase
  end
  assign busy_o = !idle;

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      state_q <= StIdle;
      g_q <= '0;
      l_q <= '0;
      i_q <= '0;
      sub_q <= 1'b0;
      w_q <= '0;
      dwords_q <= '0;
      dupdate_q <= 1'b0;
      any_rho_q <= 1'b0;
      e_q <= '0;
      lsig_q <= '0;
      h_q <= '0;
      rho_q <= '0;
    end else begin
      state_q <= state_d;
      g_q <= g_d;
      l_q <= l_d;
      i_q <= i_d;
      sub_q <= sub_d;
      w_q <= w_d;
      dwords_q <= dwords_d;
      dupdate_q <= dupdate_d;
      any_rho_q <= any_rho_d;
      if (idle && eprop_i) begin
        e_q <= e_d;
      end
      lsig_q <= lsig_d;
      h_q <= h_d;
      rho_q <= rho_d;
    end
  end
endmodule
