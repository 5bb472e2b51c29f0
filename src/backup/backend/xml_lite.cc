#include "backup/backend/xml_lite.h"

#include <cstdint>

namespace failsafe::backup::xml {

const Element* Element::Child(std::string_view child_name) const {
  for (const Element& c : children) {
    if (c.name == child_name) return &c;
  }
  return nullptr;
}

std::string Element::ChildText(std::string_view child_name) const {
  const Element* c = Child(child_name);
  return c ? c->text : std::string();
}

namespace {

constexpr int kMaxDepth = 32;
constexpr size_t kMaxDocument = 64u << 20;

bool IsSpace(char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

bool IsNameChar(char c) {
  unsigned char u = static_cast<unsigned char>(c);
  return (u >= 'a' && u <= 'z') || (u >= 'A' && u <= 'Z') || (u >= '0' && u <= '9') || u == '_' ||
         u == '-' || u == '.' || u == ':' || u >= 0x80;
}

void AppendUtf8(uint32_t cp, std::string* out) {
  if (cp < 0x80) {
    *out += char(cp);
  } else if (cp < 0x800) {
    *out += char(0xC0 | (cp >> 6));
    *out += char(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    *out += char(0xE0 | (cp >> 12));
    *out += char(0x80 | ((cp >> 6) & 0x3F));
    *out += char(0x80 | (cp & 0x3F));
  } else {
    *out += char(0xF0 | (cp >> 18));
    *out += char(0x80 | ((cp >> 12) & 0x3F));
    *out += char(0x80 | ((cp >> 6) & 0x3F));
    *out += char(0x80 | (cp & 0x3F));
  }
}

class Parser {
 public:
  explicit Parser(std::string_view s) : s_(s) {}

  Result<Element> Document() {
    if (s_.size() > kMaxDocument) return Err(Error("the document is larger than 64 MiB"));
    FS_RETURN_IF_ERROR(SkipMisc());
    if (!At("<")) return Err(Error("expected the root element"));
    FS_ASSIGN_OR_RETURN(Element root, ParseElement(1));
    FS_RETURN_IF_ERROR(SkipMisc());
    if (pos_ != s_.size()) return Err(Error("unexpected content after the root element"));
    return root;
  }

 private:
  Status Error(const std::string& what) const {
    size_t line = 1, column = 1;
    for (size_t i = 0; i < pos_ && i < s_.size(); ++i) {
      if (s_[i] == '\n') {
        ++line;
        column = 1;
      } else {
        ++column;
      }
    }
    return InvalidArgument("XML " + std::to_string(line) + ":" + std::to_string(column) + ": " +
                           what);
  }

  bool At(std::string_view token) const { return s_.substr(pos_).starts_with(token); }

  void SkipSpace() {
    while (pos_ < s_.size() && IsSpace(s_[pos_])) ++pos_;
  }

  // Skips to just after `end`; false when the document ends first.
  bool SkipPast(std::string_view end) {
    size_t found = s_.find(end, pos_);
    if (found == std::string_view::npos) return false;
    pos_ = found + end.size();
    return true;
  }

  // Whitespace, comments and processing instructions around the root element.
  Status SkipMisc() {
    for (;;) {
      SkipSpace();
      if (At("<?")) {
        if (!SkipPast("?>")) return Error("a processing instruction is not closed");
      } else if (At("<!--")) {
        if (!SkipPast("-->")) return Error("a comment is not closed");
      } else if (At("<!")) {
        return Error("DOCTYPE and other declarations are not accepted");
      } else {
        return Status::Ok();
      }
    }
  }

  std::string ReadName() {
    size_t start = pos_;
    while (pos_ < s_.size() && IsNameChar(s_[pos_])) ++pos_;
    std::string_view name = s_.substr(start, pos_ - start);
    size_t colon = name.rfind(':');
    return std::string(colon == std::string_view::npos ? name : name.substr(colon + 1));
  }

  Status SkipAttributes(bool* self_closing) {
    for (;;) {
      SkipSpace();
      if (At("/>")) {
        pos_ += 2;
        *self_closing = true;
        return Status::Ok();
      }
      if (At(">")) {
        ++pos_;
        return Status::Ok();
      }
      if (ReadName().empty()) return Error("expected an attribute name, '>' or '/>'");
      SkipSpace();
      if (!At("=")) return Error("expected '=' after the attribute name");
      ++pos_;
      SkipSpace();
      if (pos_ >= s_.size() || (s_[pos_] != '"' && s_[pos_] != '\'')) {
        return Error("expected a quoted attribute value");
      }
      char quote = s_[pos_++];
      size_t end = s_.find(quote, pos_);
      if (end == std::string_view::npos) return Error("an attribute value is not closed");
      if (s_.substr(pos_, end - pos_).find('<') != std::string_view::npos) {
        return Error("'<' in an attribute value");
      }
      pos_ = end + 1;
    }
  }

  Status DecodeEntity(std::string* out) {
    // Entities are short: looking further would make "&&&&..." quadratic.
    size_t end = s_.substr(pos_, 14).find(';');
    if (end == std::string_view::npos) return Error("'&' starts no entity");
    end += pos_;
    std::string_view ent = s_.substr(pos_ + 1, end - pos_ - 1);
    if (ent == "amp") {
      *out += '&';
    } else if (ent == "lt") {
      *out += '<';
    } else if (ent == "gt") {
      *out += '>';
    } else if (ent == "quot") {
      *out += '"';
    } else if (ent == "apos") {
      *out += '\'';
    } else if (ent.size() > 1 && ent[0] == '#') {
      bool hex = ent[1] == 'x' || ent[1] == 'X';
      std::string_view digits = ent.substr(hex ? 2 : 1);
      if (digits.empty()) return Error("an empty character reference");
      uint32_t cp = 0;
      for (char c : digits) {
        int v = (c >= '0' && c <= '9')          ? c - '0'
                : hex && (c >= 'a' && c <= 'f') ? c - 'a' + 10
                : hex && (c >= 'A' && c <= 'F') ? c - 'A' + 10
                                                : -1;
        if (v < 0) return Error("a bad digit in a character reference");
        cp = cp * (hex ? 16 : 10) + uint32_t(v);
        if (cp > 0x10FFFF) return Error("a character reference beyond Unicode");
      }
      if (cp == 0 || (cp >= 0xD800 && cp <= 0xDFFF)) {
        return Error("a character reference to a character XML does not allow");
      }
      AppendUtf8(cp, out);
    } else {
      return Error("unknown entity &" + std::string(ent.substr(0, 12)) + ";");
    }
    pos_ = end + 1;
    return Status::Ok();
  }

  Result<Element> ParseElement(int depth) {
    if (depth > kMaxDepth) return Err(Error("elements nested deeper than 32"));
    ++pos_;  // '<'
    Element e;
    e.name = ReadName();
    if (e.name.empty()) return Err(Error("expected an element name after '<'"));
    bool self_closing = false;
    FS_RETURN_IF_ERROR(SkipAttributes(&self_closing));
    if (self_closing) return e;
    for (;;) {
      if (pos_ >= s_.size()) return Err(Error("element <" + e.name + "> is not closed"));
      if (At("</")) {
        pos_ += 2;
        std::string closing = ReadName();
        if (closing != e.name) {
          return Err(Error("</" + closing + "> closes <" + e.name + ">"));
        }
        SkipSpace();
        if (!At(">")) return Err(Error("expected '>' to end </" + closing + ">"));
        ++pos_;
        return e;
      }
      if (At("<!--")) {
        if (!SkipPast("-->")) return Err(Error("a comment is not closed"));
      } else if (At("<![CDATA[")) {
        size_t start = pos_ + 9;
        if (!SkipPast("]]>")) return Err(Error("a CDATA section is not closed"));
        e.text.append(s_.substr(start, pos_ - 3 - start));
      } else if (At("<?")) {
        if (!SkipPast("?>")) return Err(Error("a processing instruction is not closed"));
      } else if (At("<!")) {
        return Err(Error("a declaration inside an element"));
      } else if (At("<")) {
        FS_ASSIGN_OR_RETURN(Element child, ParseElement(depth + 1));
        e.children.push_back(std::move(child));
      } else if (s_[pos_] == '&') {
        FS_RETURN_IF_ERROR(DecodeEntity(&e.text));
      } else {
        size_t end = s_.find_first_of("<&", pos_);
        if (end == std::string_view::npos) end = s_.size();
        e.text.append(s_.substr(pos_, end - pos_));
        pos_ = end;
      }
    }
  }

  std::string_view s_;
  size_t pos_ = 0;
};

}  // namespace

Result<Element> Parse(std::string_view document) {
  return Parser(document).Document();
}

}  // namespace failsafe::backup::xml
