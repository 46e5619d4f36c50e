-- wrk: every request submits one appeal through the public form (multipart, as a browser
-- sends it), with the CSRF cookie and field taken from the environment (CSRF) and the body
-- from BODY. An optional attachment of ATTACH_KB kilobytes is sent as a text file.
local boundary = "glasnost-bench-boundary"
local csrf = os.getenv("CSRF") or ""
local fields = {
  { "csrf", csrf },
  { "body", os.getenv("BODY") or "social-protection" },
  { "kind", "appeal" },
  { "topic", "Выплата на ребёнка" },
  { "text", "Прошу разъяснить порядок назначения ежемесячной выплаты на ребёнка и перечень документов." },
  { "author_name", "Петрова Анна Сергеевна" },
  { "answer_by", "email" },
  { "email", "anna@example.org" },
  { "consent", "1" },
}
local parts = {}
for _, f in ipairs(fields) do
  parts[#parts + 1] = "--" .. boundary .. "\r\nContent-Disposition: form-data; name=\"" .. f[1] .. "\"\r\n\r\n" .. f[2] .. "\r\n"
end
local kb = tonumber(os.getenv("ATTACH_KB") or "0")
if kb > 0 then
  parts[#parts + 1] = "--" .. boundary .. "\r\nContent-Disposition: form-data; name=\"files\"; filename=\"letter.txt\"\r\n" ..
    "Content-Type: text/plain\r\n\r\n" .. string.rep("Копия письма. ", kb * 1024 / 24) .. "\r\n"
end
parts[#parts + 1] = "--" .. boundary .. "--\r\n"
wrk.method = "POST"
wrk.body = table.concat(parts)
wrk.headers["Content-Type"] = "multipart/form-data; boundary=" .. boundary
wrk.headers["Cookie"] = "gl_csrf=" .. csrf
