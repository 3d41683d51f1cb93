#include "gateway/stats/day_figures.hpp"

namespace lykta::stats {

DayFigures& DayFigures::operator+=(const DayFigures& o) {
    lit_s += o.lit_s;
    flagged_s += o.flagged_s;
    safety_s += o.safety_s;
    burn_lum_s += o.burn_lum_s;
    estimated_wh += o.estimated_wh;
    metered_wh += o.metered_wh;
    metered = metered || o.metered;
    safety_extra_wh += o.safety_extra_wh;
    required_lum_s += o.required_lum_s;
    lit_ok_lum_s += o.lit_ok_lum_s;
    faults_raised += o.faults_raised;
    repairs += o.repairs;
    repair_s += o.repair_s;
    return *this;
}

}  // namespace lykta::stats
