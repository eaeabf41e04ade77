import { BOOTSTRAP_PROLOGUE } from './limits.js';

/**
 * The bootstrap for a program whose tests come apart from it (see judgedProgram.ts): a trusted judge
 * decides the verdict, because tests in the program's own interpreter can be bypassed (walking frames
 * or gc to the nonce, sys.settrace past the tests, builtins patched, an __eq__ that is always True).
 *
 * 1. The bootstrap makes itself non-dumpable and forks the program's process BEFORE it reads the
 *    nonce. That child swaps stdin for /dev/null and stdout for stderr, runs the program as module
 *    `program`, then answers calls. It never holds the nonce, cannot read the judge's memory (ptrace
 *    and /proc/<judge>/mem need CAP_SYS_PTRACE over a non-dumpable process) and has no fd on stdout.
 * 2. The judge runs only dataset text: HumanEval's prompt (its helpers) and `test`, then
 *    `check(candidate)`; MBPP's test imports and asserts. Names those do not define resolve to the
 *    program as proxies whose calls cross a pipe.
 * 3. Values cross as tagged JSON and arrive as exact builtin types (bool, int, float as hex, str,
 *    bytes, complex, list, tuple, set, frozenset, dict, range; iterators and dict views materialized).
 *    Anything else is an opaque handle that can only be passed back: it compares by identity and
 *    has no truth value. An exception in the program is re-raised in the judge as its nearest
 *    builtin class.
 * 4. The judge prints the nonce only when every test passed.
 * Input on stdin: the nonce line, then the JudgedProgram as JSON. argv as BOOTSTRAP's.
 */
const JUDGE_BODY = String.raw`import json,builtins
# Non-dumpable before the fork: /proc/<judge>/{mem,fd,environ} and ptrace then need CAP_SYS_PTRACE,
# which the program (same uid, no capabilities) lacks. The nonce will live in this memory only.
if sys.platform.startswith('linux'):
    import ctypes
    if ctypes.CDLL(None,use_errno=True).prctl(4,0,0,0,0)!=0:
        sys.stderr.write('yardstick-launcher: cannot make the judge process non-dumpable\n');os._exit(3)
    del ctypes
cr,jw=os.pipe()
jr,cw=os.pipe()
LIMIT=1<<28
def send(fd,obj):
    b=json.dumps(obj).encode()
    mv=memoryview(len(b).to_bytes(8,'little')+b)
    while mv:mv=mv[os.write(fd,mv):]
def recv(fd):
    def rd(k):
        buf=bytearray()
        while len(buf)<k:
            x=os.read(fd,min(k-len(buf),1<<20))
            if not x:raise EOFError
            buf+=x
        return bytes(buf)
    k=int.from_bytes(rd(8),'little')
    if k>LIMIT:raise ValueError('message too large')
    return json.loads(rd(k))
pid=os.fork()
if pid==0:
    # ---- the program's process: forked before the judge reads the nonce, so it never holds it ----
    os.close(jw);os.close(jr)
    d=os.open(os.devnull,os.O_RDONLY);os.dup2(d,0);os.close(d)
    os.dup2(2,1) # its prints go to stderr: it has no fd on the verdict channel (stdout)
    sys.stdin=open(os.devnull)
    refs={}
    M=type(sys)('program')
    def flush():
        for s in (sys.stdout,sys.stderr):
            try:s.flush()
            except BaseException:pass
    ITER=(type(iter(())),type(iter([])),type(iter(set())),type(iter('')),type(iter(b'')),type(iter({})),type(iter({}.values())),type(iter({}.items())),type(iter(range(0))),type(map(int,())),type(filter(None,())),type(zip()),type(reversed([])),type(enumerate(())),type((x for x in ())))
    def enc(x):
        # Liberal here (subclasses as their base type, as they compare): this side is untrusted anyway,
        # the judge decodes into exact builtin types only.
        if x is None:return['n']
        if x is True or x is False:return['b',x]
        if isinstance(x,int):return['i',format(int.__index__(x),'x')]
        if isinstance(x,float):return['f',float.hex(x)]
        if isinstance(x,str):return['s',str.__str__(x)]
        if isinstance(x,complex):return['c',float.hex(x.real),float.hex(x.imag)]
        if isinstance(x,bytes):return['y',bytes.hex(x)]
        if isinstance(x,bytearray):return['Y',bytearray.hex(x)]
        if isinstance(x,tuple):return['t',[enc(e) for e in tuple.__iter__(x)]]
        if isinstance(x,list):return['l',[enc(e) for e in list.__iter__(x)]]
        if isinstance(x,frozenset):return['F',[enc(e) for e in frozenset.__iter__(x)]]
        if isinstance(x,set):return['S',[enc(e) for e in set.__iter__(x)]]
        if isinstance(x,dict):return['d',[[enc(k),enc(w)] for k,w in dict.items(x)]]
        if type(x) is range:return['R',format(x.start,'x'),format(x.stop,'x'),format(x.step,'x')]
        t=type(x)
        if t is type({}.keys()):return['K',[enc(e) for e in x]]
        if t is type({}.values()):return['V',[enc(e) for e in x]]
        if t is type({}.items()):return['I',[enc(e) for e in x]]
        if t in ITER or type(x).__module__=='itertools':return['it',[enc(e) for e in x]]
        if t is type and builtins.__dict__.get(x.__name__) is x:return['T',x.__name__]
        refs[id(x)]=x
        # Its truth value goes along, fixed as it crosses: one bit, no more than returning a bool
        # (re.search's Match in MBPP's "assert text_match(...)" tests).
        try:b=bool(x)
        except BaseException:b=None
        return['r',id(x),b]
    def dec(x):
        k=x[0]
        if k=='r':return refs[x[1]]
        if k=='g':
            if x[1] not in M.__dict__:raise NameError("name '%s' is not defined"%x[1])
            return M.__dict__[x[1]]
        return DEC(x,dec)
    def look(k):
        if k not in M.__dict__:return['no']
        v=M.__dict__[k]
        if type(v) is type(sys):return['mod',str(v.__name__)]
        return['yes']
    def child():
        src=recv(cr)
        M.__file__='program.py'
        sys.modules['__main__']=M;sys.modules['program']=M;sys.argv=['program.py']
        try:
            with open('program.py','w') as f:f.write(src)
            exec(compile(src,'program.py','exec'),M.__dict__)
        except BaseException as e:
            if not isinstance(e,SystemExit):
                import traceback;traceback.print_exc()
            flush();send(cw,['fail',isinstance(e,SystemExit)]);os._exit(1)
        flush();send(cw,['ok'])
        while True:
            op=recv(cr)
            try:
                if op[0]=='has':res=[look(k) for k in op[1]]
                else:
                    f=dec(op[1])
                    res=enc(f(*[dec(a) for a in op[2]],**{k:dec(w) for k,w in op[3]}))
                msg=['ok',res]
            except BaseException as e:
                try:s=str(e)[:2000]
                except BaseException:s=''
                msg=['exc',[c.__name__ for c in type(e).__mro__],s]
            flush();send(cw,msg)
def DEC(x,dec):
    # Exact builtin types only: nothing the program defines (an __eq__ that is always True, a float
    # subclass) can reach the judge, only its plain value.
    k=x[0]
    if k=='n':return None
    if k=='b':return x[1] is True
    if k=='i':return int(x[1],16)
    if k=='f':return float.fromhex(x[1])
    if k=='s':
        if type(x[1]) is not str:raise ValueError
        return x[1]
    if k=='c':return complex(float.fromhex(x[1]),float.fromhex(x[2]))
    if k=='y':return bytes.fromhex(x[1])
    if k=='Y':return bytearray.fromhex(x[1])
    if k=='R':return range(int(x[1],16),int(x[2],16),int(x[3],16))
    if k=='T':
        v=builtins.__dict__.get(x[1])
        if type(v) is not type:raise ValueError
        return v
    if k in('l','t','S','F','it','K','V','I'):
        if type(x[1]) is not list:raise ValueError
        v=[dec(e) for e in x[1]]
        if k=='l':return v
        if k=='t':return tuple(v)
        if k=='S':return set(v)
        if k=='F':return frozenset(v)
        if k=='K':return dict.fromkeys(v).keys()
        if k=='V':return dict(enumerate(v)).values()
        if k=='I':return dict(v).items()
        return iter(v)
    if k=='d':
        if type(x[1]) is not list:raise ValueError
        out={}
        for a,b in x[1]:out[dec(a)]=dec(b)
        return out
    raise ValueError('bad value from the program')
if pid==0:
    try:child()
    finally:os._exit(1)
# ---- the judge: runs only the dataset's text (prompt helpers, tests) ----
os.close(cr);os.close(cw)
n=sys.stdin.readline().strip() # only now, after the fork
job=json.loads(sys.stdin.read())
sys.stdin.close()
def die(why):
    try:
        if why:sys.stderr.write('\n'+why+'\n')
        sys.stderr.flush()
        os.kill(pid,9)
    finally:os._exit(1)
def lost():
    # The program's process is gone (or sent nonsense): no test can pass. SIGXCPU keeps its exit code
    # (152) so the executor reports the CPU-time limit.
    try:os.kill(pid,9)
    except OSError:pass
    try:
        _,st=os.waitpid(pid,0)
        if os.WIFSIGNALED(st) and os.WTERMSIG(st)==24:os._exit(152)
    except OSError:pass
    die('yardstick judge: the program stopped answering before its tests finished')
def ask(op):
    try:
        send(jw,op)
        return recv(jr)
    except (OSError,EOFError,ValueError,RecursionError,MemoryError):lost()
class Remote:
    # A value of the program the judge cannot see into: it can only be called or passed back. It
    # compares by identity, so the program decides no comparison in the tests; its truth value is
    # the bit that came with it (none for a name of the program: bool() raises).
    __slots__=('_k','_t')
    def __init__(s,k,t=None):object.__setattr__(s,'_k',k);object.__setattr__(s,'_t',t)
    def __call__(s,*a,**kw):
        return reply(ask(['call',s._k,[encj(e) for e in a],[[k,encj(w)] for k,w in kw.items()]]))
    def __eq__(s,o):return s is o
    def __ne__(s,o):return s is not o
    __hash__=object.__hash__
    def __bool__(s):
        if s._t is None:raise TypeError('this value from the program has no truth value')
        return s._t
    def __repr__(s):return '<value from the program>'
HANDLES={}
def handle(i,t):
    # One Remote per object of the program, so identity in the judge is identity there.
    if type(i) is not int or t not in (True,False,None) or type(t) not in (bool,type(None)):raise ValueError
    h=HANDLES.get(i)
    if h is None:h=HANDLES[i]=Remote(['r',i],t)
    else:object.__setattr__(h,'_t',t)
    return h
def decj(x):
    if type(x) is not list or not x:raise ValueError
    if x[0]=='r':return handle(x[1],x[2])
    return DEC(x,decj)
PLAIN={type(None):'n',bool:'b',int:'i',float:'f',str:'s',complex:'c',bytes:'y',bytearray:'Y',list:'l',tuple:'t',set:'S',frozenset:'F',dict:'d',range:'R'}
def encj(x):
    t=type(x)
    if t is Remote:return x._k
    if t is type and builtins.__dict__.get(x.__name__) is x:return['T',x.__name__]
    k=PLAIN.get(t)
    if k is None:raise TypeError('cannot pass a %s to the program'%t.__name__)
    if k=='n':return['n']
    if k=='b':return['b',x]
    if k=='i':return['i',format(x,'x')]
    if k=='f':return['f',x.hex()]
    if k=='s':return['s',x]
    if k=='c':return['c',x.real.hex(),x.imag.hex()]
    if k in('y','Y'):return[k,x.hex()]
    if k=='R':return['R',format(x.start,'x'),format(x.stop,'x'),format(x.step,'x')]
    if k=='d':return['d',[[encj(a),encj(b)] for a,b in x.items()]]
    return[k,[encj(e) for e in x]]
EXC={k:w for k,w in vars(builtins).items() if isinstance(w,type) and issubclass(w,Exception)}
def reply(msg):
    try:
        if msg[0]=='ok':return decj(msg[1])
        if msg[0]!='exc':raise ValueError
        names,text=msg[1],str(msg[2])
        if type(names) is not list or not names:raise ValueError
    except Exception:lost()
    # The nearest builtin exception class, so a test that expects one (ValueError…) still sees it.
    for k in names:
        c=EXC.get(k) if type(k) is str else None
        if c is None:continue
        try:e=c(text) if text else c()
        except Exception:continue
        raise e
    # SystemExit, KeyboardInterrupt…: the program stopped the run; in one interpreter it would have too.
    die('yardstick judge: the program raised %s during the tests'%str(names[0])[:100])
def names(c):
    out=set(c.co_names)
    for k in c.co_consts:
        if hasattr(k,'co_names'):out|=names(k)
    return out
def bind(g,ks):
    # Names the tests use but neither they nor the dataset's text define: the program's globals, as
    # in one interpreter. A stdlib module it imported (sys in MBPP's tuple_size tests) is the judge's own.
    ks=sorted(ks)
    if not ks:return
    res=ask(['has',ks])
    if type(res) is not list or len(res)!=2 or res[0]!='ok' or type(res[1]) is not list or len(res[1])!=len(ks):lost()
    res=res[1]
    std=getattr(sys,'stdlib_module_names',())
    for k,a in zip(ks,res):
        if a==['yes']:g[k]=Remote(['g',k])
        elif type(a) is list and len(a)==2 and a[0]=='mod' and type(a[1]) is str:
            m=a[1]
            if m.partition('.')[0] in std and k==m.rpartition('.')[2]:
                __import__(m);g[k]=sys.modules[m]
            else:g[k]=Remote(['g',k])
def unbound(g,c):
    return {k for k in names(c) if k not in g and k not in builtins.__dict__}
def entry_named_like_builtin(g,first):
    # MBPP 126 tests a function called sum. Only the outermost call of the first assert may resolve to
    # the program when its name is a builtin: abs, set, sorted around it stay the judge's own.
    c=compile(first,'test.py','exec')
    if any(type(g.get(k)) is Remote for k in names(c)):return
    import ast
    for node in ast.walk(ast.parse(first)):
        if isinstance(node,ast.Call) and isinstance(node.func,ast.Name):
            k=node.func.id
            if k in builtins.__dict__ and k not in g:
                if ask(['has',[k]])==['ok',[['yes']]]:g[k]=Remote(['g',k])
            return
try:send(jw,job['candidate']);first=recv(jr)
except (OSError,EOFError,ValueError):lost()
# A traceback of the program's own is the better last line; a sys.exit() leaves none.
if first!=['ok']:die('yardstick judge: the program exited before its tests ran' if first==['fail',True] else '')
g={'__name__':'judge','__builtins__':builtins}
try:
    if job['kind']=='humaneval':
        exec(compile(job['prelude'],'prompt.py','exec'),g)
        # The prompt's docstring-only stub stands for the program's function, as in one interpreter.
        cand=g[job['entry']]=Remote(['g',job['entry']])
        c=compile(job['tests'],'test.py','exec')
        bind(g,unbound(g,c)-{'check'})
        exec(c,g)
        g['check'](cand)
    else:
        exec(compile(job['imports'],'test_imports.py','exec'),g)
        c=compile(job['tests'],'test.py','exec')
        bind(g,unbound(g,c))
        entry_named_like_builtin(g,job['first'])
        exec(c,g)
except BaseException:
    import traceback,linecache
    for f,s in (('prompt.py',job.get('prelude','')),('test.py',job['tests']),('test_imports.py',job.get('imports',''))):
        linecache.cache[f]=(len(s),None,s.splitlines(True),f)
    traceback.print_exc()
    die('')
try:os.kill(pid,9)
except OSError:pass
os.write(1,('\n'+n+'\n').encode())
os._exit(0)
`;

export const JUDGE_BOOTSTRAP = [...BOOTSTRAP_PROLOGUE, 'del v,r', JUDGE_BODY].join('\n');
