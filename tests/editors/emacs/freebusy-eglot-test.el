;;; freebusy-eglot-test.el --- freebusy-lsp driven by eglot in batch mode -*- lexical-binding: t -*-

;; Run by run.sh: emacs --batch -l freebusy-eglot-test.el, with FREEBUSY_LSP naming the server
;; binary.  Exits 0 when every step passed, 1 on the first failure (and on any Lisp error).
;;
;; In --batch there is no command loop, so nothing that eglot or flymake leaves to timers or
;; hooks happens by itself: the test calls `eglot' directly (no `eglot-ensure'), starts flymake by
;; hand, and flushes pending edits with `eglot--signal-textDocument/didChange' (eglot's idle timer
;; never fires).  Tested with Emacs 28.2 and eglot 1.9 (Debian 12's emacs-nox and elpa-eglot).

(require 'cl-lib)
(require 'subr-x)
(require 'eglot)
(require 'flymake)

(defvar fb-bin (or (getenv "FREEBUSY_LSP") "freebusy-lsp"))
(defvar fb-timeout 30 "Seconds to wait for any one answer from the server.")
(defvar fb-server nil)
(defvar fb-published nil "Every publishDiagnostics received, newest first: (URI VERSION DIAGS).")

;; Versions that have them: never ask, never wait for the idle timer.
(setq eglot-sync-connect t
      eglot-connect-timeout fb-timeout
      eglot-autoreconnect nil)
(when (boundp 'eglot-confirm-server-edits) (setq eglot-confirm-server-edits nil))
(when (boundp 'eglot-confirm-server-initiated-edits) (setq eglot-confirm-server-initiated-edits nil))

(defun fb-dump-events ()
  "Print the tail of eglot's events buffer, to see what went over the wire."
  (when-let* ((server fb-server)
              (buf (ignore-errors (jsonrpc-events-buffer server))))
    (with-current-buffer buf
      (message "---- last protocol events ----\n%s\n----"
               (buffer-substring-no-properties (max (point-min) (- (point-max) 6000))
                                               (point-max))))))

(defun fb-fail (fmt &rest args)
  (message "FAIL: %s" (apply #'format fmt args))
  (fb-dump-events)
  (kill-emacs 1))

(defun fb-ok (fmt &rest args)
  (message "ok: %s" (apply #'format fmt args)))

(defmacro fb-check (form fmt &rest args)
  `(if ,form (fb-ok ,fmt ,@args) (fb-fail ,fmt ,@args)))

(defun fb-wait (pred what)
  "Process output until PRED returns non-nil (returned), or fail after `fb-timeout' seconds."
  (let ((deadline (+ (float-time) fb-timeout)) v)
    (while (and (not (setq v (funcall pred))) (< (float-time) deadline))
      (accept-process-output nil 0.05))
    (or v (fb-fail "timed out after %ss waiting for %s" fb-timeout what))))

(advice-add 'eglot-handle-notification :before
            (lambda (_server method &rest params)
              (when (equal (format "%s" method) "textDocument/publishDiagnostics")
                (push (list (plist-get params :uri) (plist-get params :version)
                            (plist-get params :diagnostics))
                      fb-published)))
            '((name . fb-record-diagnostics)))

(defun fb-uri () (plist-get (eglot--TextDocumentIdentifier) :uri))
(defun fb-version () (plist-get (eglot--VersionedTextDocumentIdentifier) :version))

(defun fb-wait-diagnostics ()
  "The diagnostics the server pushed for the current buffer's current version."
  (let ((uri (fb-uri)) (version (fb-version)))
    (append (nth 2 (fb-wait (lambda () (cl-find-if (lambda (p) (and (equal (car p) uri)
                                                             (equal (cadr p) version)))
                                            fb-published))
                    (format "diagnostics of %s version %s" uri version)))
            nil)))

(defun fb-codes (diags) (mapcar (lambda (d) (plist-get d :code)) diags))

(defun fb-region-text (diag)
  (pcase-let ((`(,beg . ,end) (eglot--range-region (plist-get diag :range))))
    (buffer-substring-no-properties beg end)))

(defun fb-flymake-codes ()
  "Codes of the flymake diagnostics in the buffer, in buffer order, after a flymake run."
  (flymake-start nil t)
  (mapcar (lambda (d) (plist-get (cdr (assoc 'eglot-lsp-diag (eglot--diag-data d))) :code))
          (sort (flymake-diagnostics) (lambda (a b) (< (flymake-diagnostic-beg a)
                                                       (flymake-diagnostic-beg b))))))

(defun fb-flush ()
  "Send what eglot's idle timer would have sent."
  (eglot--signal-textDocument/didChange))

(defun fb-find-diag (code diags)
  (or (cl-find code diags :key (lambda (d) (plist-get d :code)) :test #'equal)
      (fb-fail "no %s among %S" code (fb-codes diags))))

(defun fb-apply-action (action)
  "Apply a CodeAction the way eglot's code-action menu would."
  (cl-letf (((symbol-function 'y-or-n-p) (lambda (&rest _) t)))
    (if (fboundp 'eglot-execute)          ; eglot 1.12+
        (eglot-execute fb-server action)
      (when-let ((edit (plist-get action :edit)))
        (eglot--apply-workspace-edit edit))
      (when-let ((cmd (plist-get action :command)))
        (eglot-execute-command fb-server (intern (plist-get cmd :command))
                               (plist-get cmd :arguments))))))

(defconst fb-log "\
2024-05-01 10:00:01 INFO  availability lookup for zoë.åkesson@contoso.com started
2024-05-01 10:00:02 ERROR Free/busy: Failed to get ASURL. Error 8004010F.
2024-05-01 10:00:03 INFO  retrying
2024-05-01 10:00:04 ERROR [🙂] Microsoft.Exchange.Security.OAuth.OAuthTokenRequestFailedException: Missing signing certificate.
2024-05-01 10:00:05 INFO  retry scheduled
2024-05-01 10:00:06 ERROR Proxy web request failed, inner exception: The request failed with HTTP status 503: Service Unavailable
2024-05-01 10:00:07 INFO  done
")

(defun fb-run ()
  (let* ((dir (file-name-as-directory (make-temp-file "freebusy-eglot-" t)))
         (path (expand-file-name "trace.log" dir))
         (script (expand-file-name "trace.remediation.ps1" dir))
         offered creates utf8)
    (message "Emacs %s, eglot from %s, server %s" emacs-version (locate-library "eglot") fb-bin)
    (let ((coding-system-for-write 'utf-8-unix)) (write-region fb-log nil path))
    (with-current-buffer (find-file-noselect path)
      (text-mode)

      ;; 1. Connect (what eglot-ensure would do from a major-mode hook).
      (eglot '(text-mode) (eglot--current-project) 'eglot-lsp-server (list fb-bin) "plaintext")
      (setq fb-server (fb-wait #'eglot-current-server "eglot to connect"))
      (fb-check eglot--managed-mode "the buffer is managed by eglot")
      ;; What this eglot declares decides what the server should do.
      (setq offered (eglot-client-capabilities fb-server))
      (let ((edit (plist-get (plist-get offered :workspace) :workspaceEdit)))
        (setq creates (and (eq (plist-get edit :documentChanges) t)
                           (seq-contains-p (plist-get edit :resourceOperations) "create"))))
      (setq utf8 (seq-contains-p (plist-get (plist-get offered :general) :positionEncodings) "utf-8"))
      (let ((caps (eglot--capabilities fb-server)))
        (fb-check (equal (plist-get caps :positionEncoding) (if utf8 "utf-8" "utf-16"))
                  "negotiated positionEncoding %s (eglot offered utf-8: %s)"
                  (plist-get caps :positionEncoding) utf8)
        (fb-check (null (plist-get caps :diagnosticProvider)) "push diagnostics (eglot does not pull)"))

      ;; 2. Three errors, three diagnostics, at the right places.
      (let ((diags (fb-wait-diagnostics)))
        (fb-check (equal (fb-codes diags) '("FB026" "FB012" "FB031"))
                  "pushed diagnostics %S" (fb-codes diags))
        (dolist (d diags)
          (fb-check (and (equal (plist-get d :source) "freebusy-lsp") (eql (plist-get d :severity) 1))
                    "%s: source %s, severity %s" (plist-get d :code) (plist-get d :source)
                    (plist-get d :severity)))
        (fb-check (string-prefix-p "Failed to get ASURL" (fb-region-text (fb-find-diag "FB026" diags)))
                  "FB026 covers %S" (fb-region-text (fb-find-diag "FB026" diags)))
        (fb-check (string-prefix-p "OAuthTokenRequestFailedException"
                                   (fb-region-text (fb-find-diag "FB012" diags)))
                  "FB012 covers %S (after an astral-plane character on its line)"
                  (fb-region-text (fb-find-diag "FB012" diags))))
      (fb-check (equal (fb-flymake-codes) '("FB026" "FB012" "FB031"))
                "flymake shows %S" (fb-flymake-codes))
      (fb-check (cl-every (lambda (d) (eq (flymake-diagnostic-type d) 'eglot-error)) (flymake-diagnostics))
                "flymake types are eglot-error")

      ;; 3. Hover on the FB012 text (a position eglot computes from point).
      (goto-char (point-min))
      (search-forward "OAuthTokenRequestFailedException")
      (backward-char 5)
      (let* ((hover (jsonrpc-request fb-server :textDocument/hover (eglot--TextDocumentPositionParams)))
             (contents (plist-get hover :contents))
             (value (if (stringp contents) contents (plist-get contents :value))))
        (fb-check (and (stringp value) (string-match-p "FB012" value)
                       (string-match-p "Set-AuthConfig -PublishCertificate" value))
                  "hover card names FB012 and Set-AuthConfig -PublishCertificate")
        (fb-check (stringp (ignore-errors (eglot--hover-info contents (plist-get hover :range))))
                  "eglot renders the hover (kind %s)" (plist-get contents :kind)))

      ;; 4. Code actions on the FB012 diagnostic; apply the remediation.
      (let* ((diag (cl-find "FB012" (flymake-diagnostics) :test #'equal
                            :key (lambda (d) (plist-get (cdr (assoc 'eglot-lsp-diag (eglot--diag-data d)))
                                                        :code))))
             (actions (eglot-code-actions (flymake-diagnostic-beg diag) (flymake-diagnostic-end diag)))
             (titles (mapcar (lambda (a) (plist-get a :title)) actions))
             (fix (cl-find-if (lambda (a) (and (equal (plist-get a :kind) "quickfix")
                                               (string-prefix-p "FB012: " (plist-get a :title))
                                               (plist-get a :edit)))
                              actions))
             (edit (plist-get fix :edit)))
        (fb-check fix "a FB012 quick fix with an edit among %S" titles)
        (fb-check (member "FB012: Show documentation" titles) "a Show documentation action")
        (if creates
            (fb-check (equal (plist-get (aref (plist-get edit :documentChanges) 0) :kind) "create")
                      "eglot declares file creation: the fix creates %s" script)
          (fb-check (and (plist-get edit :changes) (not (plist-get edit :documentChanges)))
                    "eglot declares no file creation: the fix edits the log itself"))
        (fb-apply-action fix)
        (if creates
            (with-current-buffer (or (find-buffer-visiting script) (fb-fail "%s not opened" script))
              (fb-check (string-match-p "Set-AuthConfig -PublishCertificate" (buffer-string))
                        "the remediation script holds Set-AuthConfig -PublishCertificate"))
          (fb-check (string-prefix-p fb-log (buffer-string)) "the log text is unchanged above the fix")
          (fb-check (string-match-p "Set-AuthConfig -PublishCertificate"
                                    (substring (buffer-string) (length fb-log)))
                    "Set-AuthConfig -PublishCertificate was appended to the log")))
      (fb-flush)
      (let ((diags (fb-wait-diagnostics)))
        (fb-check (equal (seq-take (fb-codes diags) 3) '("FB026" "FB012" "FB031"))
                  "after the fix (version %s) the findings are still %S" (fb-version) (fb-codes diags)))

      ;; 5. Edit: delete the FB026 line, type after the emoji on the FB012 line.
      (goto-char (point-min))
      (forward-line 1)
      (delete-region (point) (line-beginning-position 2))
      (search-forward "🙂")
      (insert " retry 2")
      (fb-flush)
      (let ((diags (fb-wait-diagnostics)))
        (fb-check (and (not (member "FB026" (fb-codes diags)))
                       (equal (seq-take (fb-codes diags) 2) '("FB012" "FB031")))
                  "after the edit (version %s) FB026 is gone: %S" (fb-version) (fb-codes diags))
        (let ((fb012 (fb-find-diag "FB012" diags)))
          (fb-check (equal (plist-get (plist-get (plist-get fb012 :range) :start) :line) 2)
                    "FB012 moved up to line 2")
          (fb-check (string-prefix-p "OAuthTokenRequestFailedException" (fb-region-text fb012))
                    "after incremental edits FB012 still covers %S" (fb-region-text fb012))))
      (fb-check (equal (seq-take (fb-flymake-codes) 2) '("FB012" "FB031"))
                "flymake updated: %S" (fb-flymake-codes))

      ;; 6. Shut down with eglot-shutdown: shutdown request, exit notification, and the process
      ;; ends by itself with status 0.  jsonrpc.el (Emacs 28) deletes the process right after
      ;; sending exit, which races with the server's own exit (status 9 when it loses): give the
      ;; server time to go first, as an editor's event loop would.
      (let ((proc (jsonrpc--process fb-server)))
        (advice-add 'jsonrpc-shutdown :before
                    (lambda (&rest _)
                      (let ((deadline (+ (float-time) fb-timeout)))
                        (while (and (process-live-p proc) (< (float-time) deadline))
                          (accept-process-output nil 0.05))))
                    '((name . fb-let-the-server-exit)))
        (eglot-shutdown fb-server)
        (fb-check (not (process-live-p proc)) "the server process is gone")
        (fb-check (and (eq (process-status proc) 'exit) (eql (process-exit-status proc) 0))
                  "the server exited by itself with status 0 (%s %s)"
                  (process-status proc) (process-exit-status proc))
        (fb-check (not eglot--managed-mode) "eglot no longer manages the buffer"))
      (set-buffer-modified-p nil))
    (delete-directory dir t)
    (message "PASS: eglot end-to-end")))

(condition-case err
    (progn (fb-run) (kill-emacs 0))
  (error (fb-fail "Lisp error: %S" err)))
