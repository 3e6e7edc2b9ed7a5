import json,sys,unicodedata,re
ELI={"l","d","j","qu","n","s","t","m","c","jusqu","lorsqu","puisqu","quoiqu","presqu"}
def norm(t):
    t=t.lower().replace('’',"'").replace('ʼ',"'").replace('`',"'")
    t=''.join(ch for ch in unicodedata.normalize('NFD',t) if unicodedata.category(ch)!='Mn')
    t=t.replace('œ','oe').replace('æ','ae').replace('ß','ss')
    toks=[]
    for w in re.split(r"[^\w']+",t):
        if not w: continue
        parts=w.split("'")
        if len(parts)>1 and parts[0] in ELI: parts=parts[1:]
        w=''.join(parts)
        if w: toks.append(w)
    return toks
lex={}
for f in sys.argv[3:]:
    for line in open(f,encoding='utf-8'):
        if '\t' not in line: continue
        c,term=line.rstrip('\n').split('\t',1)
        k=tuple(norm(term))
        if k: lex.setdefault(k,set()).add(c.strip())
print('terms',len(lex),file=sys.stderr)
src,dst=sys.argv[1],sys.argv[2]
hits=0
with open(dst,'w',encoding='utf-8') as out:
    for line in open(src,encoding='utf-8'):
        r=json.loads(line)
        toks=norm(r['text']); add=[]
        for n in (1,2,3):
            for i in range(len(toks)-n+1):
                for c in sorted(lex.get(tuple(toks[i:i+n]),())): add.append('lexcat_'+c)
        if add:
            hits+=1
            r['text']=r['text']+' '+' '.join(add)
        out.write(json.dumps(r,ensure_ascii=False)+'\n')
print('messages with hits',hits,file=sys.stderr)
