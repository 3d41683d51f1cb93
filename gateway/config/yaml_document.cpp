#include "gateway/config/yaml_document.hpp"

namespace lykta::config {

std::optional<YAML::Node> parse_yaml_document(ParseContext& ctx, const std::string& text) {
    YAML::Node root;
    try {
        root = YAML::Load(text);
    } catch (const YAML::Exception& e) {
        // yaml-cpp's messages are lower-case phrases ("end of map not found"):
        // they read fine after the position.
        ctx.error(ctx.pos(e.mark), "", "YAML syntax error: " + e.msg);
        return std::nullopt;
    }
    if (!root.IsDefined() || root.IsNull()) {
        ctx.error({ctx.file(), 1, 1}, "", "the document is empty");
        return std::nullopt;
    }
    return root;
}

}  // namespace lykta::config
