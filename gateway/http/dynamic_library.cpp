#include "gateway/http/dynamic_library.hpp"

#include <dlfcn.h>

#include <stdexcept>

namespace lykta::http {

std::string dl_error() {
    const char* why = ::dlerror();
    return why ? why : "unknown reason";
}

void* load_library(const char* soname, const char* package) {
    void* handle = ::dlopen(soname, RTLD_NOW | RTLD_LOCAL);
    if (!handle)
        throw std::runtime_error(std::string("cannot load ") + soname + ": " + dl_error() + " (install " +
                                 package + ")");
    return handle;
}

void* find_symbol(void* handle, const char* soname, const char* name) {
    void* symbol = ::dlsym(handle, name);
    if (!symbol) throw std::runtime_error(std::string(soname) + " has no " + name);
    return symbol;
}

}  // namespace lykta::http
