#pragma once
// One Row per configured luminaire, in config order, found by id: a flat
// vector instead of a map node keyed by id per fact (the faults and
// statistics features each keep a few facts per luminaire; ~0.4 MB less heap
// at 1,024 luminaires, docs/benchmarks.md "footprint"). The index is a sorted
// vector, 24 bytes a luminaire, so two features cost less than one hash map.
#include <algorithm>
#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "gateway/config/model.hpp"

namespace lykta::config {

template <class Row>
class LuminaireRows {
public:
    // `luminaires` must outlive the rows (the App keeps its Config for its whole run).
    explicit LuminaireRows(const std::vector<Luminaire>& luminaires)
        : luminaires_(luminaires), rows_(luminaires.size()) {
        index_.reserve(luminaires.size());
        for (std::size_t i = 0; i < luminaires.size(); ++i) index_.emplace_back(luminaires[i].id, i);
        std::sort(index_.begin(), index_.end());
    }

    // The row of a configured luminaire id; nullptr for an unknown id.
    Row* find(const std::string& luminaire_id) {
        auto it = std::lower_bound(index_.begin(), index_.end(), std::string_view(luminaire_id),
                                   [](const auto& entry, std::string_view id) { return entry.first < id; });
        return it == index_.end() || it->first != luminaire_id ? nullptr : &rows_[it->second];
    }
    const Luminaire& luminaire_of(const Row& row) const {
        return luminaires_[static_cast<std::size_t>(&row - rows_.data())];
    }
    // The row of `luminaire`, an element of the vector these rows were built from.
    const Row& row_of(const Luminaire& luminaire) const {
        return rows_[static_cast<std::size_t>(&luminaire - luminaires_.data())];
    }

    auto begin() const { return rows_.begin(); }
    auto end() const { return rows_.end(); }

private:
    const std::vector<Luminaire>& luminaires_;
    std::vector<Row> rows_;
    std::vector<std::pair<std::string_view, std::size_t>> index_;  // by id
};

}  // namespace lykta::config
