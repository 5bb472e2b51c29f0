#include "app/admin_notice.h"

namespace failsafe::app {

void PrintAdminPasswordNotice(std::ostream& out, const std::string& username,
                              const std::string& password) {
  // Only top and bottom rules: a right-hand border would need terminal widths of CJK text.
  const std::string rule(72, '=');
  out << "\n"
      << rule << "\n"
      << "  failsafe created the administrator account.\n"
      << "  failsafe 已创建管理员账户。\n"
      << "\n"
      << "      username / 用户名:  " << username << "\n"
      << "      password / 密码:    " << password << "\n"
      << "\n"
      << "  This password is shown ONLY ONCE and is not logged. Sign in and change it now.\n"
      << "  此密码只显示这一次，也不会写入日志。请立即登录并修改密码。\n"
      << "  (Set FAILSAFE_ADMIN_PASSWORD on the first start to choose it yourself.)\n"
      << "  （也可在首次启动时通过 FAILSAFE_ADMIN_PASSWORD 环境变量自行指定。）\n"
      << rule << "\n\n";
  out.flush();
}

}  // namespace failsafe::app
