// The Graph API stand-in for the Messenger benchmark: answers the Send API
// (POST /<version>/me/messages?access_token=…) like Graph does on success,
// {"recipient_id", "message_id"}, checking the access token; counts calls.
// Usage: graph_stand_in PORT ACCESS_TOKEN   (serves on 127.0.0.1 until killed)
#include <httplib.h>

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <string>

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: %s PORT ACCESS_TOKEN\n", argv[0]);
    return 2;
  }
  int port = std::atoi(argv[1]);
  std::string token = argv[2];
  std::atomic<long> sent{0};

  httplib::Server server;
  server.new_task_queue = [] { return new httplib::ThreadPool(16); };  // httplib takes ownership
  server.Post(R"(/v[0-9.]+/me/messages)", [&](const httplib::Request& req, httplib::Response& res) {
    if (req.get_param_value("access_token") != token) {
      res.status = 400;
      return res.set_content(
          R"({"error":{"message":"Invalid OAuth access token.","type":"OAuthException","code":190}})",
          "application/json");
    }
    long n = ++sent;
    std::string psid = "unknown";
    auto at = req.body.find("\"recipient\":{\"id\":\"");
    if (at != std::string::npos) {
      auto start = at + 19;
      psid = req.body.substr(start, req.body.find('"', start) - start);
    }
    res.set_content("{\"recipient_id\":\"" + psid + "\",\"message_id\":\"m_bench_" + std::to_string(n) + "\"}",
                    "application/json");
  });
  server.Get("/count", [&](const httplib::Request&, httplib::Response& res) {
    res.set_content(std::to_string(sent.load()), "text/plain");
  });
  std::fprintf(stderr, "graph_stand_in: listening on 127.0.0.1:%d\n", port);
  return server.listen("127.0.0.1", port) ? 0 : 1;
}
